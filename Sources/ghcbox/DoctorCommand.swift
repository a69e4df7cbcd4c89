import ArgumentParser

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Check that this host can run ghcbox's sandbox, and say how to fix what it cannot.")

    func run() throws {
        print("ghcbox doctor: the sandbox checks arrive with the jail.")
    }
}

import ArgumentParser
import Sandbox

struct BudgetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budgets",
        abstract: "Print the per-session budgets in force (budgets.conf, GHCBOX_* variables and these flags) as a budgets file.")

    @Flag(help: "Print the built-in defaults instead: the text of the shipped sandbox/budgets.conf.")
    var defaults = false

    @OptionGroup var session: SessionOptions

    func run() throws {
        let budget = defaults ? ResourceBudget.builtIn : try session.settings().budget
        print(budget.fileText, terminator: "")
    }
}

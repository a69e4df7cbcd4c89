import ArgumentParser
import Foundation
import Sandbox

struct BudgetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budgets",
        abstract: "Print the per-session budgets in force (budgets.conf, GHCBOX_* variables and these flags) as a budgets file.")

    @Flag(help: "Print the built-in defaults instead: the text of the shipped sandbox/budgets.conf.")
    var defaults = false

    @OptionGroup(title: "Budgets") var budget: BudgetOptions
    @OptionGroup(title: "Budgets") var queue: QueueDepthOption

    func run() throws {
        if defaults {
            print(ResourceBudget.builtIn.fileText, terminator: "")
            return
        }
        var problems: [String] = []
        let inForce = BudgetOptions.budget(flags: budget.flags.merging(queue.flags) { given, _ in given },
                                           environment: ProcessInfo.processInfo.environment, problems: &problems)
        guard problems.isEmpty else { throw CommandFailure(lines: problems) }
        print(inForce.fileText, terminator: "")
    }
}

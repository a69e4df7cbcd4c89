import ArgumentParser
import Foundation
import HaskellKernel
import Sandbox

/// The per-session budget flags (`--memory-mb`, ...), over budgets.conf and GHCBOX_* variables.
struct BudgetOptions: ParsableArguments {
    @Option(name: .customLong("memory-mb"), parsing: .unconditional, help: help(.memoryMB)) var memoryMB: SettingText?
    @Option(name: .customLong("cpu-seconds"), parsing: .unconditional, help: help(.cpuSeconds)) var cpuSeconds: SettingText?
    @Option(name: .customLong("wall-seconds"), parsing: .unconditional, help: help(.wallSeconds)) var wallSeconds: SettingText?
    @Option(parsing: .unconditional, help: help(.pids)) var pids: SettingText?
    @Option(name: .customLong("scratch-mb"), parsing: .unconditional, help: help(.scratchMB)) var scratchMB: SettingText?
    @Option(name: .customLong("output-mb"), parsing: .unconditional, help: help(.outputMB)) var outputMB: SettingText?
    @Option(parsing: .unconditional, help: help(.cpus)) var cpus: SettingText?

    static func help(_ knob: ResourceBudget.Knob) -> ArgumentHelp {
        ArgumentHelp("\(knob.summary) (env \(knob.environmentVariable); default \(ResourceBudget.builtIn[knob]))")
    }

    var flags: [ResourceBudget.Knob: SettingText] {
        let given: [(ResourceBudget.Knob, SettingText?)] = [
            (.memoryMB, memoryMB), (.cpuSeconds, cpuSeconds), (.wallSeconds, wallSeconds), (.pids, pids),
            (.scratchMB, scratchMB), (.outputMB, outputMB), (.cpus, cpus),
        ]
        return Dictionary(uniqueKeysWithValues: given.compactMap { knob, text in text.map { (knob, $0) } })
    }

    /// The budget in force: sandbox/budgets.conf, then GHCBOX_* variables, then `flags`. Every bad
    /// variable and flag adds a problem (and the file's first bad line); the budget then holds
    /// the good values only.
    static func budget(flags: [ResourceBudget.Knob: SettingText], environment: [String: String],
                       problems: inout [String]) -> ResourceBudget {
        var usable = environment
        for knob in ResourceBudget.Knob.allCases {
            guard let text = environment[knob.environmentVariable] else { continue }
            do {
                _ = try ResourceBudget.value(text, for: knob, from: SettingSource.variable(knob.environmentVariable))
            } catch {
                problems.append(error.detail)
                usable[knob.environmentVariable] = nil
            }
        }
        var overrides: [ResourceBudget.Knob: Int] = [:]
        for knob in ResourceBudget.Knob.allCases {
            guard let text = flags[knob] else { continue }
            do {
                overrides[knob] = try ResourceBudget.value(text.text, for: knob, from: SettingSource.flag(knob.flag))
            } catch {
                problems.append(error.detail)
            }
        }
        let file = (try? ResourceLocator.find("sandbox", containing: "budgets.conf")).map { $0 + "/budgets.conf" }
        do {
            return try ResourceBudget.load(defaultsFile: file, environment: usable, overrides: overrides)
        } catch {
            // A budget error names its place; anything else (an unreadable file) says what failed.
            problems.append(error.code == .budget ? error.detail : "\(error)")
            return .builtIn
        }
    }
}

/// `--queue-depth`: a budget of the kernel's, not of a headless run.
struct QueueDepthOption: ParsableArguments {
    @Option(name: .customLong("queue-depth"), parsing: .unconditional, help: BudgetOptions.help(.queueDepth))
    var queueDepth: SettingText?

    var flags: [ResourceBudget.Knob: SettingText] { queueDepth.map { [.queueDepth: $0] } ?? [:] }
}

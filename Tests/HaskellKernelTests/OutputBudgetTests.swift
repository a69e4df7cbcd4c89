import InterpreterAPI
import Testing
@testable import HaskellKernel

@Suite struct OutputBudgetTests {
    @Test func outputPastTheBudgetIsDroppedAfterOneNotice() {
        let budget = OutputBudget(bytes: 10)
        #expect(budget.admit(.stream(name: "stdout", text: "12345")) == .stream(name: "stdout", text: "12345"))
        #expect(budget.admit(.executeResult(data: ["text/plain": "6789"])) == .executeResult(data: ["text/plain": "6789"]))
        guard case .stream("stderr", let notice)? = budget.admit(.stream(name: "stdout", text: "overflow")) else {
            Issue.record("the first output past the budget should become the notice")
            return
        }
        #expect(notice.contains("output limit reached"))
        #expect(budget.admit(.stream(name: "stdout", text: "1")) == nil)
        #expect(budget.droppedBytes == "overflow".utf8.count + 1)
    }

    @Test func sizesAreCountedInUTF8Bytes() {
        let budget = OutputBudget(bytes: 4)
        #expect(budget.admit(.stream(name: "stdout", text: "éé")) != nil)
        #expect(budget.admit(.stream(name: "stdout", text: "é"))?.isNotice == true)
    }
}

private extension KernelOutput {
    var isNotice: Bool {
        if case .stream("stderr", let text) = self { return text.contains("output limit reached") }
        return false
    }
}

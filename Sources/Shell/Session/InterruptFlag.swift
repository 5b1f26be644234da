import Synchronization

/// The Ctrl-C flag: the SIGINT handler raises it, long commands poll it and stop cleanly, and the shell lowers it
/// before each command. Lock-free, so a signal handler may set it.
public final class InterruptFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)

    /// The flag the process's SIGINT handler raises.
    public static let shared = InterruptFlag()

    public init() {}

    /// True once Ctrl-C was pressed (or `raise()` called) since the last `lower()`.
    public var isRaised: Bool { raised.load(ordering: .relaxed) }

    public func raise() { raised.store(true, ordering: .relaxed) }

    public func lower() { raised.store(false, ordering: .relaxed) }

    /// Raises the flag and tells whether it was already raised while a command runs (a second Ctrl-C).
    func raiseReportingRepeat() -> Bool {
        let wasRaised = raised.exchange(true, ordering: .relaxed)
        return wasRaised && running.load(ordering: .relaxed)
    }

    /// Whether a command is running (a second Ctrl-C then ends the process).
    var isCommandRunning: Bool {
        get { running.load(ordering: .relaxed) }
        set { running.store(newValue, ordering: .relaxed) }
    }

    /// A closure for library code that knows nothing of the shell: `trainer.run(shouldStop: flag.check)`.
    public var check: @Sendable () -> Bool {
        { [self] in self.isRaised }
    }
}

import Synchronization

/// The Ctrl-C flag: the SIGINT handler raises it, long commands poll it and stop cleanly, and the shell lowers it
/// before each command. Lock-free, so a signal handler may set it.
public final class InterruptFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)
    private let terminating = Atomic<Int32>(0)

    /// The flag the process's SIGINT handler raises.
    public static let shared = InterruptFlag()

    public init() {}

    /// True once Ctrl-C was pressed (or `raise()` called) since the last `lower()`.
    public var isRaised: Bool { raised.load(ordering: .relaxed) }

    public func raise() { raised.store(true, ordering: .relaxed) }

    public func lower() { raised.store(false, ordering: .relaxed) }

    /// Whether a command is running (Ctrl-C then stops it at its next check, and says so).
    var isCommandRunning: Bool {
        get { running.load(ordering: .relaxed) }
        set { running.store(newValue, ordering: .relaxed) }
    }

    /// True once SIGTERM or SIGHUP asked the process to end: the running command stops as for Ctrl-C, and the
    /// shell then leaves the way `quit` does (writing a notebook being recorded).
    public var isTerminationRequested: Bool { terminating.load(ordering: .relaxed) != 0 }

    /// The signal that asked the process to end (SIGTERM or SIGHUP), or 0.
    public var terminationSignal: Int32 { terminating.load(ordering: .relaxed) }

    /// Records a termination request (from a signal handler: lock-free) and raises the flag.
    func requestTermination(signal: Int32) {
        terminating.store(signal, ordering: .relaxed)
        raise()
    }

    /// A closure for library code that knows nothing of the shell: `trainer.run(shouldStop: flag.check)`.
    public var check: @Sendable () -> Bool {
        { [self] in self.isRaised }
    }
}

import Foundation

/// The width in columns of the terminal on standard output; 80 when it is not a terminal or reports under 21.
func terminalWidth() -> Int {
    var size = winsize()
    if ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 20 { return Int(size.ws_col) }
    return 80
}

/// The terminal's height in rows (0 when standard output is not a terminal).
func terminalHeight() -> Int {
    var size = winsize()
    if ioctl(1, UInt(TIOCGWINSZ), &size) == 0 { return Int(size.ws_row) }
    return 0
}

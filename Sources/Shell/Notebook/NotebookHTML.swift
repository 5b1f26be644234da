import Foundation

extension Notebook {
    /// The notebook as one self-contained HTML5 page: notes as `<p>` paragraphs (and `<h2>` headings), every
    /// command and its output in `<pre>` blocks (text HTML-escaped, error output in a red span, long commands
    /// wrapped), the pictures it showed as a row of captioned `<figure>`s where it showed them, and every image
    /// embedded as a `data:image/png;base64,…` (or `image/svg+xml`) URI, so that the single file can be mailed or opened offline.
    /// `imageData` gives a file name's bytes (nil: the image is named in the text instead).
    public func html(imageData: (String) -> Data?) -> String {
        let (title, cells) = titleAndBody
        func figure(_ file: String, caption: String) -> String {
            guard let data = imageData(file) else {
                return "<p class=\"missing\">(image \(Notebook.escaped(file)) is missing)</p>\n"
            }
            let alt = Notebook.escaped(caption.isEmpty ? "picture" : caption)
            let type = file.lowercased().hasSuffix(".svg") ? "image/svg+xml" : "image/png"
            return "<figure><img src=\"data:\(type);base64,\(data.base64EncodedString())\" alt=\"\(alt)\">"
                + (caption.isEmpty ? "" : "<figcaption>\(Notebook.escaped(caption))</figcaption>") + "</figure>\n"
        }
        var body = "<h1>\(Notebook.escaped(title))</h1>\n"
        for cell in cells {
            for block in cell.noteBlocks {
                switch block {
                case .heading(let text): body += "<h2>\(Notebook.htmlNoteLine(text))</h2>\n"
                case .paragraph(let lines):
                    body += "<p class=\"note\">" + lines.map(Notebook.htmlNoteLine).joined(separator: "<br>\n")
                        + "</p>\n"
                }
            }
            guard cell.command != nil else { continue }
            body += "<section class=\"cell\">\n"
            if let command = cell.command {
                body += "<pre class=\"command\"><span class=\"prompt\">\(Notebook.escaped(Session.prompt))</span>"
                    + "\(Notebook.escaped(command))</pre>\n"
            }
            for segment in cell.outputSegments {
                switch segment {
                case .text(var pieces):
                    while let last = pieces.last, last.text.hasSuffix("\n") {
                        pieces[pieces.count - 1].text.removeLast()
                        if pieces[pieces.count - 1].text.isEmpty { pieces.removeLast() }
                    }
                    guard !pieces.isEmpty else { continue }
                    body += "<pre class=\"output\">"
                    for piece in pieces {
                        body += piece.isError ? "<span class=\"error\">\(Notebook.escaped(piece.text))</span>"
                                              : Notebook.escaped(piece.text)
                    }
                    body += "</pre>\n"
                case .pictures(let pictures):
                    body += "<div class=\"pictures\">\n"
                    for picture in pictures { body += figure(picture.file, caption: picture.caption) }
                    body += "</div>\n"
                }
            }
            for image in cell.images { body += figure(image, caption: image) }
            body += "</section>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Notebook.escaped(title))</title>
            <style>
            body { max-width: 60rem; margin: 2rem auto; padding: 0 1rem; font-family: system-ui, sans-serif; \
            color: #222; background: #fff; }
            pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 0.85rem; \
            line-height: 1.25; padding: 0.6rem 0.8rem; overflow-x: auto; border-radius: 4px; margin: 0.4rem 0; }
            pre.command { background: #eef3fb; border-left: 3px solid #3b6fc4; font-weight: 600; \
            white-space: pre-wrap; overflow-wrap: anywhere; }
            pre.output { background: #f6f6f6; }
            .prompt { color: #3b6fc4; }
            .error { color: #b00020; }
            .cell { margin-bottom: 1.2rem; }
            h2 { font-size: 1.15rem; margin-top: 2rem; }
            p.note { line-height: 1.45; }
            code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 0.9em; \
            background: #f2f2f2; padding: 0 0.2em; }
            figure { margin: 0.6rem 0; }
            figure img { max-width: 100%; border: 1px solid #ddd; }
            .pictures { display: flex; flex-wrap: wrap; gap: 0.2rem 0.8rem; align-items: flex-end; }
            .pictures figure { margin: 0.4rem 0; width: min-content; }
            .pictures img { image-rendering: pixelated; }
            figcaption, .missing { font-size: 0.8rem; color: #666; }
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    /// `text` with `&`, `<`, `>` and `"` replaced by entities: safe inside elements and quoted attributes.
    public static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}

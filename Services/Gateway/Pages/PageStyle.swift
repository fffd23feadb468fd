/// The frame and style sheet shared by the two pages.
enum PageStyle {
    /// A complete page: the shared head (style sheet, one deferred script) around `main`'s content.
    static func document(title: String, script: String, main: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        <link rel="stylesheet" href="/static/messenger.css">
        <script src="\(script)" defer></script>
        </head>
        <body>
        <main>
        \(main)
        </main>
        </body>
        </html>
        """
    }

    static let css = """
        :root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #dbdee1; background: #313338; }
        body { margin: 0; min-height: 100vh; display: grid; place-items: center; }
        main { box-sizing: border-box; background: #2b2d31; border-radius: 8px; padding: 32px; width: min(420px, 92vw); box-shadow: 0 8px 24px #0006; text-align: center; }
        h1 { font-size: 22px; margin: 0 0 8px; color: #f2f3f5; }
        p { color: #b5bac1; line-height: 1.4; }
        .qr { background: #fff; border-radius: 8px; padding: 8px; width: 232px; height: 232px; margin: 16px auto; display: block; }
        .avatar { width: 64px; height: 64px; border-radius: 50%; background: #5865f2; display: inline-grid; place-items: center; font-size: 28px; color: #fff; overflow: hidden; }
        .avatar img { width: 100%; height: 100%; object-fit: cover; }
        form { display: grid; gap: 12px; text-align: left; }
        label { font-size: 12px; font-weight: 700; text-transform: uppercase; color: #b5bac1; }
        input { width: 100%; box-sizing: border-box; padding: 10px; border-radius: 4px; border: 0; background: #1e1f22; color: #dbdee1; font-size: 16px; }
        button { padding: 12px; border: 0; border-radius: 4px; background: #5865f2; color: #fff; font-size: 16px; cursor: pointer; }
        button.secondary { background: #4e5058; }
        .error { color: #fa777c; min-height: 1.2em; }
        .muted { font-size: 13px; color: #949ba4; word-break: break-all; }
        [hidden] { display: none !important; }
        """
}

/// The two viewers of the API contract: Swagger UI at `/docs` and ReDoc at `/redoc`, each an HTML page
/// with no inline script, loading its viewer from `/docs/assets/` and the document from `/openapi.json`.
enum APIDocsPages {
    static let swaggerUI = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Messenger API · Swagger UI</title>
        <link rel="icon" href="/docs/assets/favicon-32x32.png">
        <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
        </head>
        <body>
        <div id="swagger-ui"></div>
        <script src="/docs/assets/swagger-ui-bundle.js"></script>
        <script src="/docs/assets/swagger-init.js"></script>
        </body>
        </html>

        """

    /// Starts Swagger UI on the gateway's own document; "Try it out" calls this origin.
    static let swaggerInit = """
        window.addEventListener("load", () => {
          window.ui = SwaggerUIBundle({
            url: "/openapi.json",
            dom_id: "#swagger-ui",
            deepLinking: true,
            persistAuthorization: false,
          });
        });

        """

    static let redoc = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Messenger API · ReDoc</title>
        <link rel="icon" href="/docs/assets/favicon-32x32.png">
        </head>
        <body>
        <redoc spec-url="/openapi.json"></redoc>
        <script src="/docs/assets/redoc.standalone.js"></script>
        </body>
        </html>

        """
}

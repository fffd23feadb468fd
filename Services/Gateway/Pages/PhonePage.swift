/// `/qr-login?client_id=`: what the phone opens from the QR code. A logged-in user (token in
/// `localStorage`, or a password form first) confirms, and the page sends its ticket into the hub.
enum PhonePage {
    static let html = PageStyle.document(
        title: "Confirm login",
        script: "/static/qr-login.js",
        main: """
              <section id="signin" hidden>
                <h1>Log in on this phone first</h1>
                <form id="signin-form">
                  <div><label for="email">Email</label><input id="email" type="email" autocomplete="username" required></div>
                  <div><label for="password">Password</label><input id="password" type="password" autocomplete="current-password" required></div>
                  <p id="signin-error" class="error"></p>
                  <button type="submit" id="signin-button">Log in</button>
                </form>
              </section>
              <section id="confirm" hidden>
                <h1>Log in on another device?</h1>
                <p>A browser is asking to log in to your account<span id="who"></span>.</p>
                <p class="muted">Device code: <span id="device"></span></p>
                <p>Only confirm if you scanned this code yourself.</p>
                <p id="confirm-error" class="error"></p>
                <button id="confirm-button">Confirm</button>
              </section>
              <section id="done" hidden>
                <h1>Done</h1>
                <p>The other device is now logged in.</p>
              </section>
              <section id="invalid" hidden>
                <h1>This link is not valid</h1>
                <p>Scan the QR code again.</p>
              </section>
            """
    )

    static let script = """
        "use strict";
        const $ = (id) => document.getElementById(id);
        const clientID = new URLSearchParams(location.search).get("client_id") || "";

        function show(section) {
          for (const id of ["signin", "confirm", "done", "invalid"]) { $(id).hidden = id !== section; }
        }

        function authorized() {
          const token = localStorage.getItem("messenger.token");
          return token ? { Authorization: "Bearer " + token } : null;
        }

        async function route() {
          if (!/^[A-Za-z0-9_-]{16,128}$/.test(clientID)) { show("invalid"); return; }
          $("device").textContent = clientID.slice(0, 8);
          const headers = authorized();
          if (headers) {
            const check = await fetch("/gateway/get-token/", { headers });
            if (check.ok) {
              const user = localStorage.getItem("messenger.user");
              $("who").textContent = user ? " (" + user + ")" : "";
              show("confirm");
              return;
            }
            localStorage.removeItem("messenger.token");
          }
          show("signin");
        }

        $("signin-form").addEventListener("submit", async (event) => {
          event.preventDefault();
          $("signin-error").textContent = "";
          const email = $("email").value;
          const response = await fetch("/auth/login/", {
            method: "POST", headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ email, password: $("password").value }),
          });
          const body = await response.json();
          if (!response.ok) { $("signin-error").textContent = body.detail || "Login failed"; return; }
          localStorage.setItem("messenger.token", body.token);
          localStorage.setItem("messenger.user", email);
          route();
        });

        $("confirm-button").addEventListener("click", async () => {
          $("confirm-error").textContent = "";
          $("confirm-button").disabled = true;
          const response = await fetch("/auth/encrypt_user_data/?client_id=" + encodeURIComponent(clientID), { headers: authorized() || {} });
          const body = await response.json();
          if (!response.ok) { fail(body.detail || "Could not confirm"); return; }
          const scheme = location.protocol === "https:" ? "wss" : "ws";
          const socket = new WebSocket(scheme + "://" + location.host + "/auth_events/qr_auth/?client_id=" + encodeURIComponent(clientID));
          socket.onmessage = (event) => {
            const message = JSON.parse(event.data);
            if (message.op === "hello") {
              socket.send(JSON.stringify({ op: "pending_ticket", encrypted_user_payload: body.encrypted_user_payload }));
            } else if (message.op === "access granted") {
              show("done");
            } else if (message.op === "error" || message.op === "clients already in hub" || message.op === "hub is full") {
              fail(message.detail || "The login request is no longer open: scan the code again");
              socket.close();
            }
          };
        });

        function fail(reason) {
          $("confirm-error").textContent = reason;
          $("confirm-button").disabled = false;
        }

        route();
        """
}

/// `/qr-login?client_id=`: what the phone opens from the QR code. A logged-in user (token in
/// `localStorage`, or a password form first) is shown which device and address opened the hub
/// (`GET /auth/qr_auth/hub/`), confirms, and the page sends its ticket, always bound to the `client_id`,
/// into the hub.
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
                <p>Device: <strong id="device"></strong></p>
                <p>Address: <strong id="address"></strong></p>
                <p class="muted">Code: <span id="code"></span></p>
                <p>Only confirm if you scanned this code yourself, from the screen of this device.</p>
                <p id="confirm-error" class="error"></p>
                <button id="confirm-button">Confirm</button>
              </section>
              <section id="done" hidden>
                <h1>Done</h1>
                <p>Confirmed. The other device shows your account and asks to continue.</p>
              </section>
              <section id="invalid" hidden>
                <h1 id="invalid-title">This link is not valid</h1>
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
          $("code").textContent = clientID.slice(0, 8);
          const headers = authorized();
          if (headers) {
            // Which device and address opened this code, from the instance holding its hub.
            const hub = await fetch("/auth/qr_auth/hub/?client_id=" + encodeURIComponent(clientID), { headers });
            if (hub.ok) {
              const opener = await hub.json();
              $("device").textContent = opener.device;
              $("address").textContent = opener.address;
              const user = localStorage.getItem("messenger.user");
              $("who").textContent = user ? " (" + user + ")" : "";
              show("confirm");
              return;
            }
            if (hub.status !== 401) {
              $("invalid-title").textContent = hub.status === 404
                ? "This code is no longer waiting for a login" : "The login request could not be checked";
              show("invalid");
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

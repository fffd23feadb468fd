/// `/login`: the browser side of QR login. Shows a QR code for a fresh random `client_id`, keeps the
/// hub alive, and on `access granted` exchanges the one-time token for a session.
enum LoginPage {
    static let html = PageStyle.document(
        title: "Log in with QR code",
        script: "/static/login.js",
        main: """
              <section id="waiting">
                <h1>Log in with QR code</h1>
                <p>Scan this code with the messenger on your phone, where you are already logged in.</p>
                <img id="qr" class="qr" alt="QR code to log in">
                <p class="muted">Or open on your phone: <span id="link"></span></p>
                <p id="status" class="muted">Connecting…</p>
              </section>
              <section id="expired" hidden>
                <h1>This code has expired</h1>
                <p id="expired-reason">Make a new one to try again.</p>
                <button id="renew">New QR code</button>
              </section>
              <section id="done" hidden>
                <div class="avatar" id="avatar"></div>
                <h1 id="welcome">Logged in</h1>
                <p>You are logged in on this device.</p>
              </section>
            """
    )

    static let script = """
        "use strict";
        const $ = (id) => document.getElementById(id);
        let socket = null;
        let heartbeat = null;
        let granted = false;

        function randomClientID() {
          const bytes = new Uint8Array(24);
          crypto.getRandomValues(bytes);
          return btoa(String.fromCharCode(...bytes)).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
        }

        function show(section) {
          for (const id of ["waiting", "expired", "done"]) { $(id).hidden = id !== section; }
        }

        function start() {
          granted = false;
          const clientID = randomClientID();
          document.body.dataset.clientId = clientID;
          $("qr").src = "/auth/qr_auth/qr.svg?client_id=" + encodeURIComponent(clientID);
          const link = location.origin + "/qr-login?client_id=" + encodeURIComponent(clientID);
          $("link").textContent = link;
          $("status").textContent = "Connecting…";
          show("waiting");
          const scheme = location.protocol === "https:" ? "wss" : "ws";
          socket = new WebSocket(scheme + "://" + location.host + "/auth_events/qr_auth/?client_id=" + encodeURIComponent(clientID));
          socket.onmessage = (event) => handle(JSON.parse(event.data), clientID);
          socket.onclose = () => {
            clearInterval(heartbeat);
            if (!granted) { expire("The code was open too long or the connection was lost."); }
          };
        }

        function handle(message, clientID) {
          switch (message.op) {
          case "hello":
            $("status").textContent = "Waiting for your phone…";
            heartbeat = setInterval(() => socket.send(JSON.stringify({ op: "heartbeat" })), message.heartbeat_interval / 2);
            break;
          case "access granted":
            granted = true;
            finish(message, clientID);
            break;
          case "hub expired":
          case "heartbeat timeout":
            expire("The code has expired.");
            break;
          case "error":
            $("status").textContent = message.detail;
            break;
          }
        }

        async function finish(message, clientID) {
          $("status").textContent = "Logging in…";
          const response = await fetch("/auth/qr_auth/?client_id=" + encodeURIComponent(clientID), {
            method: "POST", headers: { Authorization: message.auth_token },
          });
          if (!response.ok) { expire("Login failed, try again."); return; }
          const tokens = await response.json();
          localStorage.setItem("messenger.token", tokens.token);
          localStorage.setItem("messenger.user", message.user.username);
          const avatar = $("avatar");
          avatar.textContent = "";
          if (message.user.avatar_url) {
            const image = document.createElement("img");
            image.src = message.user.avatar_url;
            image.alt = "";
            avatar.appendChild(image);
          } else {
            avatar.textContent = (message.user.username || "?").slice(0, 1).toUpperCase();
          }
          $("welcome").textContent = "Logged in as " + message.user.username;
          show("done");
        }

        function expire(reason) {
          $("expired-reason").textContent = reason + " Make a new one to try again.";
          show("expired");
        }

        $("renew").addEventListener("click", start);
        start();
        """
}

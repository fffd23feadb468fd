/// `/login`: the browser side of QR login. Shows a QR code for a fresh random `client_id`, opens the hub
/// bound to a secret it keeps (PKCE: the hub gets the `code_challenge`, the exchange needs the
/// `code_verifier`), keeps the hub alive, and on `access granted` shows whose account it is before it
/// exchanges the one-time token for a session. A second client that joins and sends no valid ticket within
/// a few seconds (`client joined` without a grant) makes the page offer a fresh code.
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
              <section id="confirm" hidden>
                <div class="avatar" id="confirm-avatar"></div>
                <h1 id="confirm-title">Log in?</h1>
                <p>Continue only if this is your account. If it is not, someone else scanned your code.</p>
                <p id="confirm-error" class="error"></p>
                <button id="continue">Continue</button>
                <button id="decline">Not my account</button>
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
        // How long a second client of the hub may take to send a valid ticket before the code counts as seen by
        // someone else (the phone page sends its ticket right after it joins).
        const SECOND_CLIENT_GRACE_MS = 5000;
        let socket = null;
        let heartbeat = null;
        let intruderTimer = null;
        let granted = false;
        let abandoned = false;
        let pending = null;

        function randomToken() {
          const bytes = new Uint8Array(32);
          crypto.getRandomValues(bytes);
          return base64URL(bytes);
        }

        function base64URL(bytes) {
          return btoa(String.fromCharCode(...bytes)).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
        }

        // SHA-256 (FIPS 180-4) for pages served without TLS, where browsers offer no crypto.subtle.
        function sha256(bytes) {
          const k = [], h = [];
          for (let n = 2, found = 0; found < 64; n++) {
            let prime = true;
            for (let d = 2; d * d <= n; d++) { if (n % d === 0) { prime = false; break; } }
            if (!prime) { continue; }
            if (found < 8) { h[found] = (Math.pow(n, 1 / 2) * 4294967296) | 0; }
            k[found++] = (Math.pow(n, 1 / 3) * 4294967296) | 0;
          }
          const length = bytes.length;
          const padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
          padded.set(bytes);
          padded[length] = 0x80;
          const view = new DataView(padded.buffer);
          view.setUint32(padded.length - 4, length * 8);
          view.setUint32(padded.length - 8, Math.floor(length / 536870912));
          const w = new Array(64);
          const rotate = (x, n) => (x >>> n) | (x << (32 - n));
          for (let offset = 0; offset < padded.length; offset += 64) {
            for (let i = 0; i < 16; i++) { w[i] = view.getUint32(offset + i * 4); }
            for (let i = 16; i < 64; i++) {
              const s0 = rotate(w[i - 15], 7) ^ rotate(w[i - 15], 18) ^ (w[i - 15] >>> 3);
              const s1 = rotate(w[i - 2], 17) ^ rotate(w[i - 2], 19) ^ (w[i - 2] >>> 10);
              w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
            }
            let [a, b, c, d, e, f, g, hh] = h;
            for (let i = 0; i < 64; i++) {
              const t1 = (hh + (rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i]) | 0;
              const t2 = ((rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
              hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
            }
            [a, b, c, d, e, f, g, hh].forEach((value, i) => { h[i] = (h[i] + value) | 0; });
          }
          const digest = new Uint8Array(32);
          const out = new DataView(digest.buffer);
          h.forEach((value, i) => out.setUint32(i * 4, value >>> 0));
          return digest;
        }

        // The S256 code_challenge of a code_verifier: base64url of its SHA-256.
        async function challengeFor(verifier) {
          const bytes = new TextEncoder().encode(verifier);
          if (window.crypto && crypto.subtle) {
            return base64URL(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
          }
          return base64URL(sha256(bytes));
        }

        function show(section) {
          for (const id of ["waiting", "expired", "confirm", "done"]) { $(id).hidden = id !== section; }
        }

        function showAvatar(element, user) {
          const initial = (user.username || "?").slice(0, 1).toUpperCase();
          element.textContent = "";
          if (user.avatar_url) {
            // The page's policy allows images from this origin only (img-src 'self' data:): an avatar
            // served from elsewhere (S3_PUBLIC_URL) is refused, and the initial stands in for it.
            const image = document.createElement("img");
            image.alt = "";
            image.onerror = () => { element.textContent = initial; };
            image.src = user.avatar_url;
            element.appendChild(image);
          } else {
            element.textContent = initial;
          }
        }

        function stop() {
          clearInterval(heartbeat);
          clearTimeout(intruderTimer);
          if (socket) {
            socket.onclose = null;
            socket.onmessage = null;
            socket.close();
            socket = null;
          }
        }

        async function start() {
          stop();
          granted = false;
          abandoned = false;
          pending = null;
          const clientID = randomToken();
          const verifier = randomToken();
          const challenge = await challengeFor(verifier);
          document.body.dataset.clientId = clientID;
          $("qr").src = "/auth/qr_auth/qr.svg?client_id=" + encodeURIComponent(clientID);
          const link = location.origin + "/qr-login?client_id=" + encodeURIComponent(clientID);
          $("link").textContent = link;
          $("status").textContent = "Connecting…";
          show("waiting");
          const scheme = location.protocol === "https:" ? "wss" : "ws";
          const hub = new WebSocket(scheme + "://" + location.host + "/auth_events/qr_auth/?client_id=" +
            encodeURIComponent(clientID) + "&code_challenge=" + challenge + "&code_challenge_method=S256");
          socket = hub;
          hub.onmessage = (event) => handle(JSON.parse(event.data), clientID, verifier);
          hub.onclose = () => {
            clearInterval(heartbeat);
            clearTimeout(intruderTimer);
            if (!granted && !abandoned) { expire("The code was open too long or the connection was lost."); }
          };
        }

        function handle(message, clientID, verifier) {
          switch (message.op) {
          case "hello":
            $("status").textContent = "Waiting for your phone…";
            heartbeat = setInterval(() => socket.send(JSON.stringify({ op: "heartbeat" })), message.heartbeat_interval / 2);
            break;
          case "client joined":
            $("status").textContent = "A device opened this code…";
            intruderTimer = setTimeout(() => {
              if (granted) { return; }
              abandoned = true;
              stop();
              expire("Another device opened this code but did not confirm a login. If it was not your phone, someone else has seen the code.");
            }, SECOND_CLIENT_GRACE_MS);
            break;
          case "access granted":
            granted = true;
            clearTimeout(intruderTimer);
            ask(message, clientID, verifier);
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

        // Shows whose account the phone confirmed; the exchange waits for this browser's user to agree, so a
        // code scanned by someone else cannot log this browser into their account unnoticed.
        function ask(message, clientID, verifier) {
          pending = { message, clientID, verifier };
          showAvatar($("confirm-avatar"), message.user);
          $("confirm-title").textContent = "Log in as " + (message.user.username || "this account") + "?";
          $("confirm-error").textContent = "";
          $("continue").disabled = false;
          show("confirm");
        }

        async function finish() {
          if (!pending) { return; }
          const { message, clientID, verifier } = pending;
          $("continue").disabled = true;
          const response = await fetch("/auth/qr_auth/?client_id=" + encodeURIComponent(clientID) +
            "&code_verifier=" + encodeURIComponent(verifier), {
            method: "POST", headers: { Authorization: message.auth_token },
          });
          pending = null;
          if (!response.ok) { expire("Login failed, try again."); return; }
          const tokens = await response.json();
          localStorage.setItem("messenger.token", tokens.token);
          localStorage.setItem("messenger.user", message.user.username);
          showAvatar($("avatar"), message.user);
          $("welcome").textContent = "Logged in as " + message.user.username;
          show("done");
        }

        function expire(reason) {
          $("expired-reason").textContent = reason + " Make a new one to try again.";
          show("expired");
        }

        $("renew").addEventListener("click", start);
        $("decline").addEventListener("click", start);
        $("continue").addEventListener("click", finish);
        start();
        """
}

#!/usr/bin/env python3
"""Drives QR login in two headless Chromium browsers against a real `messenger serve`.

The "computer" opens /login and shows a QR code; the "phone" opens the code's link, logs in with a
password, is shown which device and address opened the code, and confirms. The computer then shows
whose account it is ("Log in as alice?"), continues, and must show "Logged in as alice". Then a
stranger joins a fresh code's hub and sends no ticket: the computer must offer a new code. A
screenshot of each step is saved under test-output/browser/. Everything runs on loopback; the server gets its own DATA_DIR
(embedded PostgreSQL) and free ports, and is stopped at the end.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import websocket
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("MESSENGER_BINARY", os.path.join(ROOT, ".build", "debug", "messenger"))
OUTPUT = os.path.join(ROOT, "test-output", "browser")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(base, method, path, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def start_server(data_dir):
    port = free_port()
    env = dict(os.environ)
    env.update({
        "PORT": str(port), "AUTH_PORT": str(free_port()), "USERS_PORT": str(free_port()),
        "CHAT_PORT": str(free_port()), "DATA_DIR": data_dir, "BCRYPT_COST": "4", "LOG_LEVEL": "warning",
        "API_DOCS_ASSETS": os.path.join(ROOT, ".build", "api-docs"),
    })
    env.pop("DATABASE_URL", None)
    log = open(os.path.join(OUTPUT, "server.log"), "w")
    server = subprocess.Popen([BINARY, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = "http://127.0.0.1:%d" % port
    deadline = time.time() + 90
    while time.time() < deadline:
        if server.poll() is not None:
            raise RuntimeError("messenger exited with %s; see %s" % (server.returncode, log.name))
        try:
            with urllib.request.urlopen(base + "/health", timeout=2) as response:
                if response.status == 200:
                    return server, base
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError("messenger did not become healthy")


def browser():
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=900,900",
                 "--disable-gpu", "--no-first-run"):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


def check_api_docs(driver, base):
    """Swagger UI at /docs lists every operation of the served document; ReDoc at /redoc renders it;
    neither page loads anything from another origin or breaks on the gateway's content security policy."""
    status, document = request(base, "GET", "/openapi.json")
    assert status == 200, status
    operations = sum(1 for item in document["paths"].values()
                     for method in ("get", "put", "post", "delete", "patch") if method in item)
    driver.set_window_size(1400, 2400)
    driver.get_log("browser")  # drop what the QR pages logged
    driver.get(base + "/docs")
    WebDriverWait(driver, 30).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) >= operations)
    shown = len(driver.find_elements(By.CSS_SELECTOR, ".opblock"))
    assert shown == operations, (shown, operations)
    driver.save_screenshot(os.path.join(OUTPUT, "8-api-docs-swagger-ui.png"))
    errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
    driver.get(base + "/redoc")
    WebDriverWait(driver, 30).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-section-id^='operation/']")) >= operations)
    driver.save_screenshot(os.path.join(OUTPUT, "9-api-docs-redoc.png"))
    # ReDoc's footer names its logo on a CDN: the policy blocks it, which is the point. Nothing else may fail.
    errors = [entry["message"] for entry in driver.get_log("browser")
              if entry["level"] == "SEVERE" and "cdn.redoc.ly" not in entry["message"]]
    assert not errors, errors


def main():
    os.makedirs(OUTPUT, exist_ok=True)
    data_dir = tempfile.mkdtemp(prefix="msgr-browser-", dir="/tmp")
    os.chmod(data_dir, 0o755)
    server, base = start_server(data_dir)
    computer = phone = None
    try:
        status, body = request(base, "POST", "/auth/register/",
                               {"username": "alice", "email": "alice@example.com", "password": "correct horse"})
        assert status == 200, (status, body)

        computer = browser()
        computer.get(base + "/login")
        wait = WebDriverWait(computer, 20)
        wait.until(ready.text_to_be_present_in_element((By.ID, "status"), "Waiting for your phone"))
        wait.until(lambda driver: driver.execute_script(
            "const img = document.getElementById('qr'); return img.complete && img.naturalWidth > 0"))
        client_id = computer.find_element(By.TAG_NAME, "body").get_attribute("data-client-id")
        link = computer.find_element(By.ID, "link").text
        assert link.endswith("/qr-login?client_id=" + client_id), link
        # The page's own SHA-256 (used where crypto.subtle is missing) against RFC 7636's example.
        challenge = computer.execute_script(
            "return base64URL(sha256(new TextEncoder().encode('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')))")
        assert challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", challenge
        computer.save_screenshot(os.path.join(OUTPUT, "1-computer-shows-qr.png"))

        phone = browser()
        phone.set_window_size(430, 900)
        phone.get(link)
        phone_wait = WebDriverWait(phone, 20)
        phone_wait.until(ready.visibility_of_element_located((By.ID, "email")))
        phone.find_element(By.ID, "email").send_keys("alice@example.com")
        phone.find_element(By.ID, "password").send_keys("correct horse")
        phone.save_screenshot(os.path.join(OUTPUT, "2-phone-logs-in.png"))
        phone.find_element(By.ID, "signin-button").click()
        phone_wait.until(ready.visibility_of_element_located((By.ID, "confirm-button")))
        assert client_id[:8] in phone.find_element(By.ID, "code").text
        device = phone.find_element(By.ID, "device").text
        assert device == "Chrome on Linux", device
        address = phone.find_element(By.ID, "address").text
        assert address == "127.0.0.1", address
        phone.save_screenshot(os.path.join(OUTPUT, "3-phone-asks-to-confirm.png"))
        phone.find_element(By.ID, "confirm-button").click()
        phone_wait.until(ready.visibility_of_element_located((By.ID, "done")))
        phone.save_screenshot(os.path.join(OUTPUT, "4-phone-done.png"))

        # The computer names the account before it logs in, and logs in only when its user continues.
        wait.until(ready.visibility_of_element_located((By.ID, "continue")))
        title = computer.find_element(By.ID, "confirm-title").text
        assert title == "Log in as alice?", title
        assert computer.execute_script("return localStorage.getItem('messenger.token')") is None
        computer.save_screenshot(os.path.join(OUTPUT, "5-computer-asks-to-continue.png"))
        computer.find_element(By.ID, "continue").click()
        wait.until(ready.text_to_be_present_in_element((By.ID, "welcome"), "Logged in as alice"))
        computer.save_screenshot(os.path.join(OUTPUT, "6-computer-logged-in.png"))
        token = computer.execute_script("return localStorage.getItem('messenger.token')")
        status, body = request(base, "GET", "/private/chat-list/", token=token)
        assert status == 200, (status, body)
        print("browser: qr login completed; screenshots in %s" % OUTPUT)

        # A stranger who read a fresh code's client_id joins its hub and sends no ticket: the computer
        # notices within a few seconds and offers a new code.
        computer.get(base + "/login")
        wait.until(ready.text_to_be_present_in_element((By.ID, "status"), "Waiting for your phone"))
        client_id = computer.find_element(By.TAG_NAME, "body").get_attribute("data-client-id")
        stranger = websocket.create_connection(
            base.replace("http://", "ws://") + "/auth_events/qr_auth/?client_id=" + client_id, timeout=10)
        try:
            hello = json.loads(stranger.recv())
            assert hello.get("op") == "hello", hello
            wait.until(ready.visibility_of_element_located((By.ID, "renew")))
            reason = computer.find_element(By.ID, "expired-reason").text
            assert "Another device opened this code" in reason, reason
            computer.save_screenshot(os.path.join(OUTPUT, "7-computer-offers-a-new-code.png"))
        finally:
            stranger.close()
        computer.find_element(By.ID, "renew").click()
        wait.until(ready.text_to_be_present_in_element((By.ID, "status"), "Waiting for your phone"))
        fresh = computer.find_element(By.TAG_NAME, "body").get_attribute("data-client-id")
        assert fresh != client_id, fresh
        print("browser: a stranger in the hub makes the computer offer a new code")

        check_api_docs(computer, base)
        print("browser: /docs shows every operation of /openapi.json, /redoc renders it")
        print("browser: 3 passed, 0 failed")
        return 0
    except Exception as error:  # report any failure as a failed test, with screenshots for diagnosis
        for name, driver in (("computer", computer), ("phone", phone)):
            if driver is not None:
                driver.save_screenshot(os.path.join(OUTPUT, "failure-%s.png" % name))
        print("browser: qr login failed: %r" % (error,), file=sys.stderr)
        print("browser: 0 passed, 1 failed")
        return 1
    finally:
        for driver in (computer, phone):
            if driver is not None:
                driver.quit()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

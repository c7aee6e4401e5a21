#!/usr/bin/env python3
"""Drives headless Chromium through the dashboard over the Chrome DevTools Protocol.

Signs in with an admin key, opens a flag, kills it with a reason through the form, sees the kill in
the flags list and the audit log, sees a kill made meanwhile over the API appear without a reload,
and saves screenshots of the main pages at desktop and phone width, printing their paths.

Usage: dashboard-browser-check.py --server URL --admin-key KEY --chromium PATH --out DIR
Needs: websocket-client (pip).
"""
import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import websocket

FLAG = "ai-document-summary"
OTHER = "summary-model-version"


class Failure(Exception):
    pass


class Browser:
    """One Chromium page over CDP."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="dashboard-check-profile-")
        # Chromium's log goes to a file: a pipe nobody reads would fill up and stall the browser.
        self.log_path = os.path.join(self.profile, "chromium.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--remote-debugging-port=0", "--remote-allow-origins=*", f"--user-data-dir={self.profile}",
             "--window-size=1280,900", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=self.log)
        port = None
        deadline = time.time() + 30
        while time.time() < deadline and port is None:
            if self.process.poll() is not None:
                raise Failure("chromium exited before it listened: " + open(self.log_path).read()[-2000:])
            match = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", open(self.log_path).read())
            if match:
                port = int(match.group(1))
            else:
                time.sleep(0.1)
        if port is None:
            raise Failure("chromium did not report its DevTools port")
        pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        page = next(p for p in pages if p.get("type") == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
        self.next_id = 0
        self.send("Page.enable")
        self.send("Runtime.enable")

    def close(self):
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.log.close()
            shutil.rmtree(self.profile, ignore_errors=True)

    def send(self, method, **params):
        self.next_id += 1
        ident = self.next_id
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise Failure(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise Failure(f"script failed: {expression[:80]}: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression, what, timeout=10.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if self.evaluate(expression):
                    return
            except Failure:
                pass
            time.sleep(0.05)
        raise Failure(f"timed out waiting for {what} (at {self.evaluate('location.href')})")

    def navigate(self, url):
        self.send("Page.navigate", url=url)
        self.wait_loaded()

    def wait_loaded(self):
        time.sleep(0.1)
        self.wait_for("document.readyState === 'complete'", "the page to load")

    def click(self, selector):
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")

    def small_screenshot(self, path, width, height, scale):
        """The top `height` pixels of the page, scaled down: the README's pictures."""
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
        time.sleep(0.5)
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": width, "height": height, "scale": scale})["data"]
        with open(path, "wb") as handle:
            handle.write(base64.b64decode(data))
        self.send("Emulation.clearDeviceMetricsOverride")
        print(f"screenshot: {path}")

    def screenshot(self, path, width, height, mobile):
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)
        time.sleep(0.2)
        time.sleep(0.3)
        scroll_width = self.evaluate("document.documentElement.scrollWidth")
        metrics = self.send("Page.getLayoutMetrics")
        full = metrics.get("cssContentSize") or metrics.get("contentSize")
        page_height = min(int(full["height"]), 4000)
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": width, "height": max(page_height, height), "scale": 1})["data"]
        with open(path, "wb") as handle:
            handle.write(base64.b64decode(data))
        self.send("Emulation.clearDeviceMetricsOverride")
        print(f"screenshot: {path}")
        return scroll_width


def api(server, key, method, path, body=None, raw=None, content_type="application/json"):
    request = urllib.request.Request(
        server + path, method=method, data=raw if raw is not None else json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {key}", "Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        raise Failure(f"{method} {path}: {error.code} {error.read().decode(errors='replace')[:500]}")


def seed_guardrails(server, admin_key):
    """A running rollout, a kill rule and an hour of output events, so the flag page has a timeline,
    rule values and charts to show."""
    api(server, admin_key, "POST", f"/api/v1/flags/{FLAG}/rollout", {})
    api(server, admin_key, "PUT", f"/api/v1/flags/{FLAG}/rules", raw=b"errorRate > 0.25 over 15m minSamples 50\np95OutputChars > 4000 over 15m\n",
        content_type="text/plain")
    sdk = api(server, admin_key, "POST", "/api/v1/keys", {"kind": "sdk", "environment": "production", "name": "browser-check"})["key"]
    now = int(time.time() * 1000)
    events = []
    for unit in range(240):
        variant = "on" if unit % 4 == 0 else "off"
        at = now - (unit % 40) * 60_000 - 1000
        error = (unit % 17 == 0) if variant == "on" else (unit % 29 == 0)
        chars = 900 + (unit * 37) % 400 + (250 if variant == "on" else 0)
        events.append({"type": "exposure", "flag": FLAG, "variant": variant, "reason": "SPLIT", "unitKey": f"u-{unit}", "timestamp": at})
        output = {"type": "output", "outputId": f"o-{unit}", "flag": FLAG, "variant": variant, "unitKey": f"u-{unit}", "timestamp": at,
                  "model": "m-1", "chars": chars, "words": chars // 6, "latencyMs": 700 + (unit * 53) % 900, "tokensIn": 200,
                  "tokensOut": chars // 4, "finishReason": "error" if error else "stop"}
        if error:
            output["error"] = "upstream timeout"
        events.append(output)
    api(server, sdk, "POST", "/api/v1/events", {"batchId": "browser-check", "events": events})


def check(server, admin_key, chromium, out, readme=None):
    os.makedirs(out, exist_ok=True)
    seed_guardrails(server, admin_key)
    browser = Browser(chromium)
    try:
        started = time.time()
        browser.navigate(f"{server}/ui/flags")
        browser.wait_for("location.pathname === '/ui/sign-in'", "the redirect to sign-in")
        browser.screenshot(os.path.join(out, "sign-in-desktop.png"), 1280, 800, False)
        browser.evaluate(f"document.getElementById('key').value = {json.dumps(admin_key)}")
        browser.click("form[action='/ui/sign-in'] button[type=submit]")
        browser.wait_for("location.pathname === '/ui/flags' && !!document.querySelector('table.flags')", "the flags list after sign-in")
        if admin_key in browser.evaluate("location.href + document.cookie"):
            raise Failure("the admin key is visible to the page (URL or cookie)")
        print("ok: signed in")

        browser.click(f"a[href^='/ui/flags/{FLAG}?']")
        browser.wait_for(f"location.pathname === '/ui/flags/{FLAG}' && !!document.getElementById('kill-reason')", "the flag page")
        print("ok: opened the flag page")
        browser.evaluate("document.getElementById('kill-reason').value = 'browser check: summaries look wrong'")
        browser.evaluate("document.getElementById('kill-confirm').checked = true")
        browser.click("form.kill-form button[type=submit]")
        browser.wait_for("document.body.innerText.includes('Killed. Every client now gets the safe variant.')", "the kill notice")
        served = api(server, admin_key, "GET", f"/api/v1/flags/{FLAG}")
        if served.get("kill", {}).get("reason") != "browser check: summaries look wrong":
            raise Failure(f"the flag is not killed with the reason: {served.get('kill')}")
        print("ok: killed through the form")

        browser.navigate(f"{server}/ui/flags?env=production")
        row = f"document.querySelector('tr[data-flag=\"{FLAG}\"]')"
        browser.wait_for(f"{row} && {row}.innerText.includes('KILLED') && {row}.innerText.includes('summaries look wrong')",
                         "the kill in the flags list")
        print("ok: the list shows the kill")
        browser.navigate(f"{server}/ui/audit?env=production")
        browser.wait_for("document.body.innerText.includes('flag.kill') && document.body.innerText.includes('summaries look wrong')",
                         "the kill in the audit log")
        print("ok: the audit log shows the kill")

        browser.navigate(f"{server}/ui/flags?env=production")
        browser.wait_for("document.body.getAttribute('data-live-state') === 'open'", "the live stream to connect")
        browser.evaluate("window.__noReload = 'still here'")
        other = f"document.querySelector('tr[data-flag=\"{OTHER}\"]')"
        if browser.evaluate(f"{other}.innerText.includes('KILLED')"):
            raise Failure(f"{OTHER} is killed before the API kill")
        killed_at = time.time()
        api(server, admin_key, "POST", f"/api/v1/flags/{OTHER}/kill", {"reason": "killed over the API"})
        browser.wait_for(f"{other}.innerText.includes('KILLED') && {other}.innerText.includes('killed over the API')",
                         "the API kill to appear without reload", timeout=5)
        latency = time.time() - killed_at
        if browser.evaluate("window.__noReload") != "still here":
            raise Failure("the page reloaded instead of updating in place")
        print(f"ok: a kill over the API appeared without reload after {latency:.2f} s")
        if latency > 1.5:
            raise Failure(f"the live update took {latency:.2f} s")

        # The screenshots show the flag live again, its rollout resumed after the kill.
        api(server, admin_key, "POST", f"/api/v1/flags/{FLAG}/unkill", {"reason": "browser check: back on"})
        pages = [("flags", "/ui/flags?env=production"), ("flag", f"/ui/flags/{FLAG}?env=production"),
                 ("audit", "/ui/audit?env=production"), ("segments", "/ui/segments?env=production"),
                 ("keys", "/ui/keys?env=production"), ("stale", "/ui/stale?env=production&days=0"),
                 ("environments", "/ui/environments?env=production")]
        for name, path in pages:
            browser.navigate(server + path)
            browser.screenshot(os.path.join(out, f"{name}-desktop.png"), 1280, 900, False)
        for name, path in pages[:3]:
            browser.navigate(server + path)
            width = browser.screenshot(os.path.join(out, f"{name}-phone.png"), 390, 844, True)
            if width > 390:
                raise Failure(f"the {name} page is {width} px wide at phone width")
        if readme:
            os.makedirs(readme, exist_ok=True)
            browser.navigate(server + "/ui/flags?env=production")
            browser.small_screenshot(os.path.join(readme, "dashboard-flags.png"), 1100, 600, 0.75)
            browser.navigate(server + f"/ui/flags/{FLAG}?env=production")
            browser.small_screenshot(os.path.join(readme, "dashboard-flag.png"), 1100, 1900, 0.5)
        print(f"ok: screenshots saved in {out} ({time.time() - started:.1f} s)")
    finally:
        browser.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--admin-key", required=True)
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--readme", help="also save the README's two pictures in this folder")
    arguments = parser.parse_args()
    try:
        check(arguments.server.rstrip("/"), arguments.admin_key, arguments.chromium, arguments.out, arguments.readme)
    except Exception as failure:  # noqa: BLE001 - any failure fails the check, with its message
        print(f"FAILED: {type(failure).__name__}: {failure}", file=sys.stderr)
        print("dashboard browser check: 0 passed, 1 failed")
        return 1
    print("dashboard browser check: 1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

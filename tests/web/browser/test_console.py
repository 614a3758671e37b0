#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""test_console.py - the web console in a real headless Chromium.

Debian's chromium and chromium-driver, driven by Debian's python3-selenium
(tests/setup.sh installs them), against `lpsa-host serve` on a world of the
LastPass simulator and the JSON-file PSA (tests/web/data), with a dry run,
an apply and a second dry run in the journal. It logs in, reads Overview,
makes a plan, approves its one held company, applies it after the
confirmation, sees the run in History with the approver's name, changes a
mapping row and sees the backup, on the page and on disk, acknowledges a
finding with a note and an expiry and removes it again (the journal names
the web user), all with the keyboard only (Tab, Enter, Escape); it also checks that the page runs
under its Content-Security-Policy without a violation. Screenshots of
Overview, Plan, History and Mapping go to --screenshots DIR (the README
embeds docs/screenshots/).

  tests/web/browser/test_console.py [--screenshots DIR] [--keep]
Environment: LPSA_BUILD_DIR, LPSA_SOURCE_DIR, LPSA_DRIVER_DIR (ctest sets
them; by hand they default to build/ and the checkout). Exit: 0 passed, 1 failed, 77 Chromium, its driver or Selenium is
missing (ctest reports it as skipped, not passed).
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    print("test_console: python3-selenium is missing; run tests/setup.sh")
    sys.exit(77)

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WAIT_S = 30
USERS = {"alice": ("approver", "alice password 1")}


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)
    print("ok -", what)


class World:
    """The simulator, the configuration, the journal and the console."""

    def __init__(self, keep):
        top = os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.dirname(os.path.abspath(__file__)))))
        self.build = os.environ.get("LPSA_BUILD_DIR", os.path.join(top, "build"))
        self.src = os.environ.get("LPSA_SOURCE_DIR", top)
        self.drivers = os.environ.get(
            "LPSA_DRIVER_DIR", os.path.join(self.build, "lib/lpsa/drivers"))
        self.keep = keep
        self.dir = tempfile.mkdtemp(prefix="lpsa-browser-")
        self.procs = []
        self.env = dict(os.environ, LPSA_TEST_KEY="lpkey_demo",
                        LPSA_NOW="2026-11-25T12:00:00Z")
        data = os.path.join(self.src, "tests/web/data")
        for name in ("psa.json", "mapping.csv"):
            shutil.copy(os.path.join(data, name), self.dir)
        lp_port = self.start(
            "lastpass-sim", "--fixture", os.path.join(data, "lastpass.json"),
            "--now", "2026-11-25")
        conf = f"""[host]
driver_path = {self.drivers}
state_dir = state
mapping_file = mapping.csv
schedule = daily 02:00
[lastpass]
api_url = http://127.0.0.1:{lp_port}/business
api_key = env:LPSA_TEST_KEY
[web]
listen = 127.0.0.1:0
[driver.jsonpsa]
file = {self.dir}/psa.json
sku.lastpass = LP-BUS
sku.lastpass_mfa = LP-MFA
"""
        path = os.path.join(self.dir, "lpsa.conf")
        with open(path, "w", encoding="utf-8") as f:
            f.write(conf)
        os.chmod(path, 0o600)
        for args in (["--dry-run"], [], ["--dry-run"]):
            self.host(*args, ok=(0, 1))
        for name, (role, password) in USERS.items():
            self.host("web-user", "add", name, "--role", role,
                      stdin=password + "\n", ok=(0,))
        # The plan the page makes: Acme's line back at 12 (a change to 14)
        # and Gamma's at 0, so its 5 seats are a LARGE_INCREASE held for a
        # person.
        self.set_quantity("l1", 12)
        self.set_quantity("l3", 0)
        self.url = self.serve()

    def psa(self):
        with open(os.path.join(self.dir, "psa.json"), encoding="utf-8") as f:
            return json.load(f)

    def quantity(self, line):
        return next(l["quantity"] for l in self.psa()["lines"]
                    if l["id"] == line)

    def set_quantity(self, line, quantity):
        doc = self.psa()
        for l in doc["lines"]:
            if l["id"] == line:
                l["quantity"] = quantity
        with open(os.path.join(self.dir, "psa.json"), "w",
                  encoding="utf-8") as f:
            json.dump(doc, f)

    def start(self, name, *args):
        port_file = os.path.join(self.dir, name + ".port")
        p = subprocess.Popen(
            [os.path.join(self.build, "bin", name), "--port", "0",
             "--port-file", port_file, "--quiet", *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        self.procs.append(p)
        end = time.monotonic() + WAIT_S
        while time.monotonic() < end:
            if os.path.exists(port_file):
                text = open(port_file, encoding="ascii").read()
                if text.endswith("\n"):
                    return int(text)
            time.sleep(0.02)
        raise Failure(f"{name} did not start")

    def host(self, *args, stdin=None, ok=(0,)):
        r = subprocess.run(
            [os.path.join(self.build, "bin", "lpsa-host"), "-c", "lpsa.conf",
             *args], cwd=self.dir, env=self.env, input=stdin, text=True,
            capture_output=True, check=False)
        if r.returncode not in ok:
            raise Failure(f"lpsa-host {' '.join(args)}: exit {r.returncode}:"
                          f" {r.stderr}")
        return r

    def serve(self):
        err_path = os.path.join(self.dir, "serve.err")
        err = open(err_path, "w", encoding="utf-8")
        p = subprocess.Popen(
            [os.path.join(self.build, "bin", "lpsa-host"), "-c", "lpsa.conf",
             "serve"], cwd=self.dir, env=self.env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=err)
        self.procs.append(p)
        end = time.monotonic() + WAIT_S
        while time.monotonic() < end:
            text = open(err_path, encoding="utf-8").read()
            if "web console at " in text:
                return text.split("web console at ")[1].split()[0]
            if p.poll() is not None:
                raise Failure("lpsa-host serve exited: " + text)
            time.sleep(0.02)
        raise Failure("lpsa-host serve printed no URL")

    def close(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def browser(profile):
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
              "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync",
              "--disable-dev-shm-usage", "--window-size=1280,900",
              f"--user-data-dir={profile}"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER),
                            options=opts)


class Page:
    def __init__(self, drv):
        self.d = drv

    def wait(self, what, fn):
        try:
            return WebDriverWait(self.d, WAIT_S).until(lambda d: fn())
        except Exception as e:
            raise Failure(f"{what} (waited {WAIT_S} s): {e}") from None

    def active(self):
        return self.d.switch_to.active_element

    def keys(self, *k):
        self.active().send_keys(*k)

    def heading(self):
        # read in the page: the view may be redrawn between two calls
        return self.d.execute_script(
            "var h = document.querySelector('#view h1');"
            "return h ? h.textContent : '';")

    def wait_heading(self, text):
        self.wait(f"the page heading says {text!r}",
                  lambda: self.heading() == text and
                  not self.d.find_elements(By.CSS_SELECTOR, "#view .loading"))

    def tab_to(self, describe, match, limit=80, back=False):
        """Tab (Shift+Tab when back) until the focused element satisfies
        match(el)."""
        for _ in range(limit):
            if back:
                self.keys(Keys.SHIFT, Keys.TAB)
            else:
                self.keys(Keys.TAB)
            el = self.active()
            if match(el):
                return el
        raise Failure(f"Tab never reached {describe}")

    def body_text(self):
        return self.d.execute_script("return document.body.innerText;")


def run_rows(drv):
    """The rows of History's first table (the runs), [] while it is drawn."""
    return drv.execute_script(
        "var t = document.querySelector('#view table');"
        "return t ? Array.prototype.map.call(t.querySelectorAll('tbody tr'),"
        " function (r) { return r.textContent; }) : [];")


def link_named(text):
    return lambda el: el.tag_name == "a" and el.text == text


def run(world, shots):
    profile = tempfile.mkdtemp(prefix="lpsa-chromium-")
    drv = browser(profile)
    try:
        p = Page(drv)
        drv.get(world.url + "/")
        p.wait("the login form is shown", lambda: p.heading() == "Log in")
        # Keyboard only: the user field has the focus; Tab, Enter.
        check(p.active().get_attribute("id") == "login-user",
              "the login form starts in the user field")
        p.keys("alice")
        p.keys(Keys.TAB)
        check(p.active().get_attribute("id") == "login-password",
              "Tab moves to the password")
        p.keys("wrong password")
        p.keys(Keys.ENTER)
        p.wait("a wrong password is said so",
               lambda: "wrong user name or password" in p.body_text())
        p.keys(USERS["alice"][1])
        p.keys(Keys.ENTER)
        p.wait_heading("Overview")
        p.wait("the overview shows the last run",
               lambda: "Run 3" in p.body_text() and
               "PSA_COMPANY_NOT_FOUND" in p.body_text())
        text = p.body_text()
        check("Open problems by rule" in text and "ORPHAN_BILLING" in text,
              "Overview: open problems by rule")
        check("daily 02:00" in text, "Overview: the schedule and next run")
        check(p.active().tag_name == "h1",
              "after a page change the focus is on its heading")
        drv.save_screenshot(os.path.join(shots, "overview.png"))

        # Plan: make one, approve the held company, apply; keyboard only.
        p.tab_to("the Plan link", link_named("Plan"), back=True)
        p.keys(Keys.ENTER)
        p.wait_heading("Plan")
        p.wait("no plan yet", lambda: "no plan of jsonpsa yet" in
               p.body_text())
        p.tab_to("Make a plan now", lambda el: el.get_attribute("id") ==
                 "plan-make")
        p.keys(Keys.ENTER)
        p.wait("the plan is made and shown", lambda: p.heading().startswith(
            "Plan 2026") and "Problems by rule" in p.body_text())
        plan_id = p.heading().split()[1]
        text = p.body_text()
        check("made by alice" in text,
              "the job line says who made the plan")
        check("Apply 1 change to JSON PSA? This changes what customers are "
              "billed." in text, "Plan: the question names the PSA and the "
              "count")
        check("PSA_COMPANY_NOT_FOUND" in text and "c99" in text,
              "Plan: errors grouped by rule, with what to do")
        check("LARGE_INCREASE" in text, "Plan: the held change and why")
        p.tab_to("Approve Gamma", lambda el: el.get_attribute("aria-label") ==
                 "Approve Gamma GmbH (303)")
        p.keys(Keys.ENTER)
        p.wait("the approval is recorded", lambda: "approved the held change "
               "of Gamma GmbH" in drv.find_element(By.ID, "status").text)
        p.wait("the question counts the approved change", lambda:
               "Apply 2 changes to JSON PSA? This changes what customers "
               "are billed." in p.body_text())
        check("approved by alice" in p.body_text(),
              "Plan: the approval names its approver")
        check(world.quantity("l3") == 0, "approving writes nothing yet")
        # the whole page: the question, the problems and the companies
        drv.set_window_size(1280, 1700)
        drv.save_screenshot(os.path.join(shots, "plan.png"))
        drv.set_window_size(1280, 900)
        p.tab_to("Apply this plan", lambda el: el.get_attribute("id") ==
                 "plan-apply")
        p.keys(Keys.ENTER)
        p.wait("the confirmation opens", lambda: drv.find_elements(
            By.CSS_SELECTOR, "dialog[open]"))
        dlg = drv.find_element(By.CSS_SELECTOR, "dialog[open]").text
        check("Apply 2 changes to JSON PSA?" in dlg and
              "This changes what customers are billed." in dlg,
              "the confirmation names the PSA, the count and the billing")
        check(p.active().get_attribute("id") == "ap-no",
              "the confirmation starts on Cancel")
        p.keys(Keys.ESCAPE)
        p.wait("Escape cancels", lambda: not drv.find_elements(
            By.CSS_SELECTOR, "dialog[open]"))
        check(world.quantity("l1") == 12, "cancelling writes nothing")
        check(p.active().get_attribute("id") == "plan-apply",
              "the focus returns to Apply this plan")
        p.keys(Keys.ENTER)
        p.wait("the confirmation opens again", lambda: drv.find_elements(
            By.CSS_SELECTOR, "dialog[open]"))
        p.keys(Keys.SHIFT, Keys.TAB)
        check(p.active().get_attribute("id") == "ap-yes",
              "Shift+Tab reaches the apply button")
        p.keys(Keys.ENTER)
        p.wait("the apply ends", lambda: "Applied by alice (run 5" in
               drv.find_element(By.ID, "job").text)
        check(world.quantity("l1") == 14 and world.quantity("l3") == 5,
              "the PSA holds the planned and the approved change")
        p.wait_heading("Plan " + plan_id)
        check("Nothing left to write" in p.body_text(),
              "the plan has nothing left to write")

        # History through the navigation, by keyboard.
        p.tab_to("the History link", link_named("History"), back=True)
        p.keys(Keys.ENTER)
        p.wait_heading("History")
        p.wait("History lists the runs", lambda: "Run 1" in p.body_text())
        rows = run_rows(drv)
        # the plan's dry run is run 4, its apply run 5
        check(len(rows) == 5, "History: five runs, newest first")
        check(rows[0].startswith("Run 5"), "History: run 5 first")
        plans = drv.find_element(By.ID, "plans").text
        check(plan_id in plans and "applied" in plans,
              "History: the plan and its fate")
        drv.save_screenshot(os.path.join(shots, "history.png"))
        p.tab_to("the link of run 5", link_named("Run 5"))
        p.keys(Keys.ENTER)
        p.wait_heading("Run 5")
        p.wait("the run's approvals", lambda: "Held changes approved" in
               p.body_text())
        approved = drv.find_element(By.ID, "run-approvals").text
        check("Gamma GmbH (303)" in approved and "alice" in approved and
              "LARGE_INCREASE" in approved,
              "Run 5 names who approved which held change")
        check(plan_id in p.body_text(), "Run 5 names the plan it applied")
        p.tab_to("the History link", link_named("History"), back=True)
        p.keys(Keys.ENTER)
        p.wait_heading("History")
        p.wait("History lists the runs", lambda: "Run 1" in p.body_text())
        # Filter by mode with the keyboard: the select, then Enter.
        p.tab_to("the mode filter", lambda el: el.get_attribute("id") ==
                 "f-mode")
        p.keys("apply")
        p.tab_to("the Filter button", lambda el: el.text == "Filter")
        p.keys(Keys.ENTER)
        p.wait("the filter keeps the applies only",
               lambda: len(run_rows(drv)) == 2)
        p.wait_heading("History")
        p.tab_to("the link of run 2", link_named("Run 2"))
        p.keys(Keys.ENTER)
        p.wait_heading("Run 2")
        p.wait("the run's companies", lambda: "Acme Inc (301)" in p.body_text())
        check("applied" in p.body_text(), "Run 2: the journal's change states")

        # Mapping: change Delta's row, by keyboard.
        p.tab_to("the Mapping link", link_named("Mapping"), back=True)
        p.keys(Keys.ENTER)
        p.wait_heading("Mapping")
        p.wait("the mapping rows", lambda: "Delta Ltd (304)" in p.body_text())
        drv.save_screenshot(os.path.join(shots, "mapping.png"))
        p.tab_to("Add a row", lambda el: el.get_attribute("id") == "m-add")
        p.keys(Keys.ENTER)
        p.wait("a dialog opens", lambda: drv.find_elements(
            By.CSS_SELECTOR, "dialog[open]"))
        check(p.active().get_attribute("id") == "m-lp",
              "the dialog starts in its first field")
        p.keys(Keys.ESCAPE)
        p.wait("Escape closes the dialog", lambda: not drv.find_elements(
            By.CSS_SELECTOR, "dialog[open]"))
        check(p.active().get_attribute("id") == "m-add",
              "the focus returns to the button that opened it")
        p.tab_to("Change for 304", lambda el: el.get_attribute("aria-label") ==
                 "Change the row of 304")
        p.keys(Keys.ENTER)
        p.wait("the change dialog", lambda: p.active().get_attribute("id") ==
               "m-psa")
        p.keys(Keys.CONTROL, "a")
        p.keys(Keys.BACKSPACE)
        p.keys("c4")
        p.keys(Keys.ENTER)
        p.wait("the change is saved", lambda: "changed the row of LastPass "
               "company 304" in drv.find_element(By.ID, "status").text)
        status = drv.find_element(By.ID, "status").text
        check(".bak" in status, "the page names the backup")
        mapping = open(os.path.join(world.dir, "mapping.csv"),
                       encoding="utf-8").read()
        check("304,c4,,wrong id\n" in mapping, "the file holds the new row")
        baks = [f for f in os.listdir(world.dir) if f.startswith(
            "mapping.csv.") and f.endswith(".bak")]
        check(len(baks) == 1, "one backup on disk")
        bak = open(os.path.join(world.dir, baks[0]), encoding="utf-8").read()
        check("304,c99,,wrong id\n" in bak, "the backup is the file as it was")
        summary = drv.find_element(By.CSS_SELECTOR, "#m-backups summary")
        check(summary.text == "Backups (1)", "the page lists the backup")
        summary.send_keys(Keys.ENTER)
        check(baks[0] in drv.find_element(By.ID, "m-backups").text,
              "the backup's name is shown")

        # Acknowledgements: acknowledge Delta's missing PSA company with a
        # note and an expiry, then remove it; keyboard only.
        p.tab_to("the Acknowledgements link", link_named("Acknowledgements"),
                 back=True)
        p.keys(Keys.ENTER)
        p.wait_heading("Acknowledgements")
        p.wait("none in force, Delta's error offered", lambda:
               "No acknowledgement is in force." in p.body_text() and
               "PSA_COMPANY_NOT_FOUND" in drv.find_element(
                   By.ID, "acks-findings").text)
        p.tab_to("Acknowledge Delta", lambda el: el.get_attribute(
            "aria-label") == "Acknowledge PSA_COMPANY_NOT_FOUND of Delta Ltd "
            "(304)")
        p.keys(Keys.ENTER)
        p.wait("the acknowledgement dialog starts in the note", lambda:
               p.active().get_attribute("id") == "k-note")
        p.keys("PSA company being recreated")
        p.keys(Keys.TAB)
        check(p.active().get_attribute("id") == "k-until",
              "Tab moves to the expiry")
        p.keys("2026-12-31")
        p.keys(Keys.ENTER)
        p.wait("the acknowledgement is recorded", lambda: "acknowledged "
               "PSA_COMPANY_NOT_FOUND of Delta Ltd (304)" in
               drv.find_element(By.ID, "status").text)
        p.wait_heading("Acknowledgements")
        p.wait("it is listed in force", lambda: drv.find_elements(
            By.ID, "acks-in-force") and "PSA company being recreated" in
            drv.find_element(By.ID, "acks-in-force").text)
        listed = drv.find_element(By.ID, "acks-in-force").text
        check("alice" in listed and "2026-12-31" in listed and
              "in force" in listed,
              "the list names who, until when and its state")
        check("PSA_COMPANY_NOT_FOUND" not in drv.find_element(
            By.ID, "acks-findings").text,
              "an acknowledged finding is no longer offered")
        acks = json.loads(world.host("ack", "--list", "--json").stdout)
        check([(a["lastpass_id"], a["by"], a["until"], a["note"])
               for a in acks["acks"]] ==
              [("304", "alice", "2026-12-31", "PSA company being recreated")],
              "the journal holds it with the web user's name (ack --list)")
        p.tab_to("Remove the acknowledgement", lambda el: el.get_attribute(
            "aria-label") == "Remove the acknowledgement of "
            "PSA_COMPANY_NOT_FOUND for 304")
        p.keys(Keys.ENTER)
        p.wait("the removal asks first", lambda: drv.find_elements(
            By.CSS_SELECTOR, "dialog[open]") and
            p.active().get_attribute("id") == "ku-yes")
        check("counts again" in drv.find_element(
            By.CSS_SELECTOR, "dialog[open]").text,
              "the question says the finding counts again")
        p.keys(Keys.ENTER)
        p.wait("the acknowledgement is removed", lambda: "removed the "
               "acknowledgement of PSA_COMPANY_NOT_FOUND" in
               drv.find_element(By.ID, "status").text)
        p.wait("none in force again", lambda:
               "No acknowledgement is in force." in p.body_text())
        acks = json.loads(world.host("ack", "--list", "--json").stdout)
        check(acks["acks"] == [], "the journal has none in force")

        # The activity page shows who did it.
        p.tab_to("the Activity link", link_named("Activity"), back=True)
        p.keys(Keys.ENTER)
        p.wait_heading("Activity")
        p.wait("the edit in the activity", lambda: "mapping.change" in
               p.body_text() and "alice" in p.body_text())
        text = p.body_text()
        check("ack.add" in text and "ack.remove" in text,
              "the activity lists the acknowledgement and its removal")

        # The skip link comes before the navigation and jumps to the page.
        p.tab_to("the Overview link", link_named("Overview"), back=True)
        p.keys(Keys.SHIFT, Keys.TAB)
        check(p.active().get_attribute("id") == "skip",
              "the skip link precedes the navigation")
        p.keys(Keys.ENTER)
        check(p.active().get_attribute("id") == "main",
              "the skip link moves the focus to the page")

        logs = drv.get_log("browser")
        # (the refused login's 401 is logged as a failed load: not an error
        # of the page)
        bad = [l for l in logs if "Content Security Policy" in l["message"] or
               (l["level"] == "SEVERE" and
                "Failed to load resource" not in l["message"])]
        check(not bad, "no console error or CSP violation: " + json.dumps(bad))

        # Log out with the keyboard.
        drv.find_element(By.ID, "logout").send_keys(Keys.ENTER)
        p.wait("logged out", lambda: p.heading() == "Log in")
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--screenshots", default=".",
                    help="where to write overview.png, plan.png, "
                    "history.png, mapping.png")
    ap.add_argument("--keep", action="store_true",
                    help="keep the world's directory")
    a = ap.parse_args()
    for exe in (CHROMIUM, CHROMEDRIVER):
        if not os.access(exe, os.X_OK):
            print(f"test_console: {exe} is missing; run tests/setup.sh")
            return 77
    os.makedirs(a.screenshots, exist_ok=True)
    world = None
    try:
        world = World(a.keep)
        run(world, a.screenshots)
    except Failure as e:
        print("not ok -", e)
        if world:
            print("world:", world.dir)
            world.keep = True
        return 1
    finally:
        if world:
            world.close()
    print("browser test passed; screenshots in", os.path.abspath(a.screenshots))
    return 0


if __name__ == "__main__":
    sys.exit(main())

/* The offline field app (issue 21). The member's bundle (their households, children, open
cases and the code lists) and every captured form are kept in IndexedDB (idb, vendored),
encrypted with AES-GCM under a key the server hands out for this session, imported as a
non-extractable WebCrypto key; signing out here, another member signing in, a revoked device
or a removed member (the server says so at the next sync) wipes the store. Each form carries
its own uuid: a retried upload is answered "replayed" and stored once. */
(function () {
  "use strict";
  const root = document.getElementById("field-app");
  if (!root) return;
  const API = root.dataset.api;
  const DB_NAME = "cpims-field";
  const BATCH = 10; // forms per upload: a short answer on a weak signal
  const stateLine = document.getElementById("field-state");
  const form = document.getElementById("field-form");
  const rows = document.getElementById("field-rows");
  const words = {};
  document
    .getElementById("field-words")
    .content.querySelectorAll("[data-word]")
    .forEach((el) => (words[el.dataset.word] = el.textContent));
  let db = null;
  let key = null;
  let bundle = null;
  let syncing = false;

  function say(text) {
    stateLine.textContent = text;
  }

  function online() {
    return navigator.onLine;
  }

  async function openStore() {
    return idb.openDB(DB_NAME, 1, {
      upgrade(database) {
        database.createObjectStore("meta");
        database.createObjectStore("bundle");
        database.createObjectStore("forms", { keyPath: "uuid" });
      },
    });
  }

  async function seal(value) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = new TextEncoder().encode(JSON.stringify(value));
    return { iv, data: await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, data) };
  }

  async function open(sealed) {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv }, key, sealed.data);
    return JSON.parse(new TextDecoder().decode(plain));
  }

  async function wipe() {
    if (db) db.close();
    db = null;
    key = null;
    bundle = null;
    await idb.deleteDB(DB_NAME);
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("wipe");
    }
    db = await openStore();
  }

  async function deviceId() {
    let id = await db.get("meta", "device");
    if (!id) {
      id = crypto.randomUUID();
      await db.put("meta", id, "device");
    }
    return id;
  }

  function csrf() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : root.dataset.csrf;
  }

  async function adoptKey(base64) {
    const raw = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    await db.put("meta", key, "key");
  }

  async function fetchBundle() {
    const response = await fetch(`${API}bundle?device=${await deviceId()}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (response.status === 410 || response.status === 403) {
      await wipe();
      say(stateLine.dataset.wiped);
      return "wiped";
    }
    if (!response.ok) return null;
    const fresh = await response.json();
    const user = await db.get("meta", "user");
    if (user && user !== fresh.user) await wipe(); // another member on this phone
    key = await db.get("meta", "key");
    if (!key) await adoptKey(fresh.key);
    await db.put("meta", fresh.user, "user");
    delete fresh.key;
    bundle = fresh;
    await db.put("bundle", await seal(fresh), "bundle");
    return "fresh";
  }

  async function loadStored() {
    key = await db.get("meta", "key");
    const sealed = await db.get("bundle", "bundle");
    if (key && sealed) bundle = await open(sealed);
  }

  async function allForms() {
    const sealed = await db.getAll("forms");
    const forms = [];
    for (const row of sealed) forms.push(await open(row.sealed));
    forms.sort((a, b) => (a.captured_at < b.captured_at ? 1 : -1));
    return forms;
  }

  async function keep(entry) {
    await db.put("forms", { uuid: entry.uuid, sealed: await seal(entry) });
  }

  function option(select, value, label) {
    const el = document.createElement("option");
    el.value = value;
    el.textContent = label;
    select.appendChild(el);
  }

  function fill(select, pairs, blank) {
    select.replaceChildren();
    if (blank) option(select, "", "—");
    pairs.forEach(([value, label]) => option(select, value, label));
  }

  function children() {
    const household = bundle.households.find((h) => String(h.id) === form.household.value);
    return household ? household.children : [];
  }

  const ABOUT_CHILD = ["service", "hiv_screening"];
  const ABOUT_HOUSEHOLD = ["form1b", "wellbeing", "cpara", "household_visit"];

  function household() {
    return bundle.households.find((h) => String(h.id) === form.household.value);
  }

  function showKind() {
    const kind = form.kind.value;
    form.querySelectorAll("[data-for]").forEach((el) => {
      const wanted = el.dataset.for;
      el.hidden = !(
        wanted === kind ||
        (wanted === "ovc" && kind !== "follow_up") ||
        (wanted === "child" && ABOUT_CHILD.includes(kind))
      );
    });
  }

  function checkboxes(container, name, pairs) {
    container.replaceChildren();
    pairs.forEach(([value, label]) => {
      const wrap = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = name;
      box.value = value;
      wrap.append(box, " ", label);
      container.appendChild(wrap);
    });
  }

  function setUpHouseholdForms() {
    const codes = bundle.codes;
    const refresh = () => {
      const chosen = household();
      fill(form.caregiver, ((chosen && chosen.caregivers) || []).map((c) => [c.id, c.name]), false);
      fill(form.wb_child, (chosen ? chosen.children : []).map((c) => [c.id, c.name]), true);
      checkboxes(
        document.getElementById("field-visit-children"),
        "hv_children",
        (chosen ? chosen.children : []).map((c) => [c.id, c.name]),
      );
    };
    form.household.addEventListener("change", refresh);
    refresh();
    // a bundle stored by an older app has none of these lists until the next sync
    const form1b = codes.form1b_services || {};
    const questionsOf = codes.wellbeing_questions || {};
    fill(form.f1b_domain, codes.domains, true);
    form.f1b_domain.onchange = () => fill(form.f1b_service, form1b[form.f1b_domain.value] || [], true);
    fill(form.f1b_service, [], true);
    fill(form.wb_kind, codes.wellbeing_kinds || [], false);
    const questions = document.getElementById("field-wellbeing");
    const showQuestions = () =>
      checkboxes(questions, "wb_q", questionsOf[form.wb_kind.value] || []);
    form.wb_kind.onchange = showQuestions;
    showQuestions();
    fill(form.hv_outcome, codes.visit_outcomes || [], false);
    checkboxes(document.getElementById("field-visit-purposes"), "hv_purposes", codes.visit_purposes || []);
    const cpara = document.getElementById("field-cpara");
    cpara.replaceChildren();
    (codes.cpara_benchmarks || []).forEach(([number, label]) => {
      const wrap = document.createElement("label");
      const select = document.createElement("select");
      select.name = `cpara_${number}`;
      fill(select, codes.cpara_answers || [], true);
      wrap.append(`${number}. ${label} `, select);
      cpara.appendChild(wrap);
    });
  }

  function householdPayload(kind, data) {
    if (kind === "form1b") {
      return {
        caregiver_id: data.get("caregiver") ? Number(data.get("caregiver")) : null,
        domain: data.get("f1b_domain"),
        service: data.get("f1b_service"),
        provider: data.get("f1b_provider"),
        place: data.get("f1b_place"),
      };
    }
    if (kind === "wellbeing") {
      const ticked = new Set(data.getAll("wb_q"));
      const answers = {};
      ((bundle.codes.wellbeing_questions || {})[data.get("wb_kind")] || []).forEach(([key]) => {
        answers[key] = ticked.has(key);
      });
      return {
        kind: data.get("wb_kind"),
        enrolment_id: data.get("wb_child") ? Number(data.get("wb_child")) : null,
        answers,
        notes: data.get("wb_notes"),
      };
    }
    if (kind === "household_visit") {
      return {
        outcome: data.get("hv_outcome"),
        purposes: data.getAll("hv_purposes"),
        children_seen: data.getAll("hv_children").map(Number),
        caregiver_present: form.hv_caregiver_present.checked,
        observations: data.get("hv_observations"),
        next_visit_on: data.get("hv_next_visit_on") || null,
      };
    }
    const answers = {};
    (bundle.codes.cpara_benchmarks || []).forEach(([number]) => {
      answers[number] = data.get(`cpara_${number}`) || "";
    });
    return { answers };
  }

  function setUpForm() {
    const codes = bundle.codes;
    fill(form.household, bundle.households.map((h) => [h.id, `${h.number} ${h.head}`]), false);
    const refreshChildren = () => fill(form.child, children().map((c) => [c.id, c.name]), false);
    form.household.onchange = refreshChildren;
    refreshChildren();
    fill(form.case, bundle.cases.map((c) => [c.id, `${c.reference} ${c.child}`]), false);
    fill(form.domain, codes.domains, true);
    form.domain.onchange = () => fill(form.service, codes.services[form.domain.value] || [], true);
    fill(form.service, [], true);
    fill(form.status_known, codes.hiv_status, true);
    fill(form.follow_up_type, codes.follow_up_types, true);
    const risks = document.getElementById("field-risks");
    risks.replaceChildren();
    codes.risks.forEach(([value, label]) => {
      const wrap = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = "risks";
      box.value = value;
      wrap.append(box, " ", label);
      risks.appendChild(wrap);
    });
    setUpHouseholdForms();
    form.visit_date.value = new Date().toLocaleDateString("en-CA");
    form.kind.onchange = showKind;
    showKind();
    form.hidden = false;
  }

  function captured() {
    const kind = form.kind.value;
    const data = new FormData(form);
    let target;
    let label;
    let payload;
    if (kind === "follow_up") {
      target = bundle.cases.find((c) => String(c.id) === form.case.value);
      label = target && `${target.reference} ${target.child}`;
      payload = { follow_up_type: data.get("follow_up_type"), notes: data.get("notes") };
    } else if (ABOUT_HOUSEHOLD.includes(kind)) {
      target = household();
      label = target && `${target.number} ${target.head}`;
      payload = householdPayload(kind, data);
    } else {
      target = children().find((c) => String(c.id) === form.child.value);
      label = target && target.name;
      payload =
        kind === "service"
          ? {
              domain: data.get("domain"),
              service: data.get("service"),
              provider: data.get("provider"),
              place: data.get("place"),
            }
          : {
              status_known: data.get("status_known"),
              tested_last_6_months: form.tested_last_6_months.checked,
              risks: data.getAll("risks"),
              not_referred_reason: data.get("not_referred_reason"),
            };
    }
    if (!target) return null;
    return {
      uuid: crypto.randomUUID(),
      kind,
      target_id: target.id,
      visit_date: data.get("visit_date"),
      payload,
      base_stamp: target.stamp,
      captured_at: new Date().toISOString(),
      label,
      state: "waiting",
      reason: "",
    };
  }

  async function render() {
    const forms = await allForms();
    rows.replaceChildren();
    forms.forEach((entry) => {
      const tr = document.createElement("tr");
      tr.dataset.state = entry.state;
      tr.dataset.uuid = entry.uuid;
      const status = words[entry.state] + (entry.reason ? `: ${entry.reason}` : "");
      [words[entry.kind], entry.label, entry.visit_date, status].forEach((text) => {
        const td = document.createElement("td");
        td.textContent = text;
        tr.appendChild(td);
      });
      rows.appendChild(tr);
    });
  }

  function reasonOf(errors) {
    return Object.entries(errors || {})
      .map(([name, messages]) => `${name}: ${messages.join(" ")}`)
      .join("; ");
  }

  async function post(batch) {
    const response = await fetch(`${API}forms`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ device: await deviceId(), forms: batch }),
    });
    if (response.status === 410) return "wipe";
    if (!response.ok) return null;
    return response.json();
  }

  async function sync() {
    if (syncing || !online() || !key) return;
    syncing = true;
    try {
      const fetched = await fetchBundle();
      if (fetched === "wiped" || !key) return;
      const forms = await allForms();
      const byUuid = Object.fromEntries(forms.map((f) => [f.uuid, f]));
      const waiting = forms.filter((f) => f.state === "waiting");
      for (let i = 0; i < waiting.length; i += BATCH) {
        const batch = waiting.slice(i, i + BATCH).map((f) => {
          const { label, state, reason, ...sent } = f;
          return sent;
        });
        const answer = await post(batch);
        if (answer === "wipe") {
          await wipe();
          say(stateLine.dataset.wiped);
          return;
        }
        if (!answer) break; // kept as waiting: the next sync sends them again
        for (const item of answer.answers) {
          const entry = byUuid[item.uuid];
          if (!entry) continue;
          if (item.result === "refused") {
            entry.state = "refused";
            entry.reason = reasonOf(item.errors);
          } else {
            entry.state = item.status;
          }
          await keep(entry);
        }
      }
      const response = await fetch(`${API}forms`, { credentials: "same-origin" });
      if (response.ok) {
        for (const row of await response.json()) {
          const entry = byUuid[row.uuid];
          if (entry && entry.state !== "waiting" && entry.state !== row.status) {
            entry.state = row.status;
            entry.reason = row.reason || "";
            await keep(entry);
          }
        }
      }
      setUpFormOnce();
    } catch (error) {
      // the network went away half-way: what was not answered stays waiting
    } finally {
      syncing = false;
      await render();
      say(online() ? stateLine.dataset.online : stateLine.dataset.offline);
    }
  }

  let formReady = false;
  function setUpFormOnce() {
    if (bundle && !formReady) {
      setUpForm();
      formReady = true;
    }
  }

  async function signOutAndWipe(logoutForm) {
    await wipe();
    if (logoutForm) logoutForm.submit();
  }

  async function start() {
    say(stateLine.dataset.loading);
    if ("serviceWorker" in navigator) {
      try {
        await navigator.serviceWorker.register(root.dataset.sw, { scope: "/field/" });
      } catch (error) {
        // the app still works online without its worker
      }
    }
    db = await openStore();
    await loadStored();
    if (online()) {
      try {
        if ((await fetchBundle()) === "wiped") return;
      } catch (error) {
        // offline after all: the stored bundle serves
      }
    }
    if (!bundle) {
      say(stateLine.dataset.nobundle);
      return;
    }
    setUpFormOnce();
    await render();
    say(online() ? stateLine.dataset.online : stateLine.dataset.offline);
    if (online()) sync();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const entry = captured();
    if (!entry || !form.reportValidity()) return;
    await keep(entry);
    await render();
    say(words.saved);
    if (online()) sync();
  });
  document.getElementById("field-sync").addEventListener("click", () => sync());
  document.getElementById("field-signout").addEventListener("click", () => {
    signOutAndWipe(document.querySelector("form[action*='logout']"));
  });
  const logout = document.querySelector("form[action*='logout']");
  if (logout) {
    logout.addEventListener("submit", (event) => {
      event.preventDefault();
      signOutAndWipe(logout);
    });
  }
  window.addEventListener("online", () => sync());
  window.addEventListener("offline", () => say(stateLine.dataset.offline));
  start();
})();

// The desk's few behaviours, in plain JavaScript (no framework, nothing downloaded):
// uploads with a progress bar per file, live lists and tasks (server-sent events),
// and the evidence of an assignment or a header field highlighted on its page.
"use strict";

const csrf = () => document.body.dataset.csrf;

// One file, with its own progress bar; ``fields`` are the form's other values (desk, batch, archive).
function uploadOne(file, fields, list) {
  const item = document.createElement("li");
  item.textContent = file.name + " ";
  const bar = document.createElement("progress");
  bar.max = 100;
  bar.value = 0;
  const status = document.createElement("span");
  status.className = "status";
  item.append(bar, status);
  list.append(item);
  const form = new FormData();
  form.append("files", file);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("csrf_token", csrf());
  const request = new XMLHttpRequest();
  request.open("POST", "/upload");
  request.setRequestHeader("Accept", "application/json");
  request.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = (100 * e.loaded) / e.total; };
  request.onload = () => {
    bar.value = 100;
    if (request.status !== 200) {
      status.textContent = "Không nộp được (" + request.status + ")";
      item.className = "failed";
      return;
    }
    const [result] = JSON.parse(request.responseText);
    item.className = result.status;
    status.textContent = result.status === "submitted" ? "Đã nộp" : (result.message || result.status);
    if (result.url) {
      const link = document.createElement("a");
      link.href = result.url;
      link.textContent = " Mở";
      status.append(link);
    }
  };
  request.onerror = () => { status.textContent = "Mất kết nối"; item.className = "failed"; };
  request.send(form);
}

// Several files (one request each), a batch name or "Lưu trữ" make one batch: its name is
// the one typed, or a new one the server gives, and its page is linked above the bars.
async function batchOf(files, typed, archive) {
  if (typed || !(files.length > 1 || archive)) return typed;
  const response = await fetch("/batches", { method: "POST", headers: { Accept: "application/json", "X-CSRF-Token": csrf() } });
  if (!response.ok) throw new Error("batch " + response.status);
  return (await response.json()).batch;
}

function setUpUpload() {
  const form = document.getElementById("upload");
  if (!form) return;
  const input = document.getElementById("files");
  const drop = document.getElementById("drop");
  const list = document.getElementById("progress");
  const batchLink = document.getElementById("batch-link");
  const send = async (fileList) => {
    const files = Array.from(fileList);
    const archive = form.elements.archive.checked;
    const typed = form.elements.batch.value.trim();
    const fields = { desk: form.elements.desk.value, archive: archive ? "true" : "false" };
    form.reset();
    try {
      fields.batch = await batchOf(files, typed, archive);
    } catch (e) {
      batchLink.hidden = false;
      batchLink.textContent = "Không tạo được lô (" + e.message + ")";
      return;
    }
    if (fields.batch) {
      const link = document.createElement("a");
      link.href = "/batches/" + encodeURIComponent(fields.batch);
      link.textContent = "Theo dõi lô " + fields.batch;
      batchLink.replaceChildren(link);
      batchLink.hidden = false;
    }
    for (const f of files) uploadOne(f, fields, list);
  };
  form.addEventListener("submit", (e) => { e.preventDefault(); send(input.files); });
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); send(e.dataTransfer.files); });
}

// A document still on its way is shown again when the pipeline moves it on.
function setUpLiveDocument() {
  if (!document.getElementById("live-reload") || !window.EventSource) return;
  new EventSource("/events").addEventListener("change", () => window.location.reload());
}

// A live part of a page (the documents list, a unit's tasks) is fetched again from its
// data-live URL whenever the pipeline moves (one server-sent event stream for the page).
function setUpLiveParts() {
  const parts = document.querySelectorAll("[data-live]");
  if (!parts.length || !window.EventSource) return;
  const pending = new Set();
  const refresh = async (part) => {
    if (pending.has(part)) return;
    pending.add(part);
    try {
      const response = await fetch(part.dataset.live, { headers: { Accept: "text/html" } });
      if (response.ok) part.innerHTML = await response.text();
    } finally {
      pending.delete(part);
    }
  };
  new EventSource("/events").addEventListener("change", () => parts.forEach(refresh));
}

function setUpEvidence() {
  const data = document.getElementById("evidence");
  if (!data) return;
  const evidence = JSON.parse(data.textContent);
  const clear = () => {
    document.querySelectorAll(".mark").forEach((m) => m.remove());
    document.querySelectorAll("[data-evidence].selected").forEach((a) => a.classList.remove("selected"));
  };
  const show = (item) => {
    clear();
    item.classList.add("selected");
    let first = null;
    for (const mark of evidence[item.dataset.evidence] || []) {
      const page = document.querySelector('.page[data-page="' + mark.page + '"]');
      if (!page) continue;
      for (const [x0, top, x1, bottom] of mark.boxes) {
        const box = document.createElement("div");
        box.className = "mark " + mark.kind;
        box.style.left = 100 * x0 + "%";
        box.style.top = 100 * top + "%";
        box.style.width = 100 * (x1 - x0) + "%";
        box.style.height = 100 * (bottom - top) + "%";
        page.append(box);
        first = first || box;
      }
    }
    if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
  };
  document.querySelectorAll("[data-evidence]").forEach((item) => {
    item.addEventListener("click", () => show(item));
    item.addEventListener("keydown", (e) => { if (e.key === "Enter") show(item); });
  });
}

// A unit field takes a unit id; typing a name offers the directory's units of that name
// (in the document's jurisdiction) as suggestions whose value is the id.
function setUpUnitSuggestions() {
  const list = document.getElementById("units");
  if (!list) return;
  let timer = null;
  document.querySelectorAll("input.unit-id").forEach((input) => {
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const text = input.value.trim();
      if (text.length < 2 || text.startsWith("vn:")) return;
      timer = setTimeout(async () => {
        const document_ = input.dataset.document || input.form.dataset.document || "";
        const url = "/units?q=" + encodeURIComponent(text) + "&document=" + encodeURIComponent(document_);
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok) return;
        list.replaceChildren(...(await response.json()).map((unit) => {
          const option = document.createElement("option");
          option.value = unit.id;
          option.label = unit.name;
          return option;
        }));
      }, 250);
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setUpUnitSuggestions();
  setUpUpload();
  setUpLiveParts();
  setUpLiveDocument();
  setUpEvidence();
});

// Reply uploads on a request's page: drag and drop, a list of the chosen files, and a
// progress bar. Without this script the form is a plain multipart form that works the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-upload]");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var zone = form.querySelector("[data-dropzone]");
  var input = form.querySelector("input[type=file]");
  var list = form.querySelector("[data-file-list]");
  var progress = form.querySelector("[data-progress]");
  var status = form.querySelector("[data-status]");
  var button = form.querySelector("button[type=submit]");
  var dropped = [];

  function chosen() {
    return dropped.length ? dropped : Array.prototype.slice.call(input.files || []);
  }

  function size(bytes) {
    if (bytes >= 1048576) return (bytes / 1048576).toFixed(1) + " MB";
    if (bytes >= 1024) return Math.round(bytes / 1024) + " KB";
    return bytes + " bytes";
  }

  function showFiles() {
    list.textContent = "";
    chosen().forEach(function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + size(file.size) + ")";
      list.appendChild(item);
    });
  }

  function say(text, isError) {
    status.textContent = text;
    status.className = "upload-status" + (isError ? " error" : "");
  }

  input.addEventListener("change", function () {
    dropped = [];
    showFiles();
  });

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.remove("dragging");
    });
  });
  zone.addEventListener("drop", function (event) {
    var files = event.dataTransfer && event.dataTransfer.files;
    if (!files || !files.length) return;
    dropped = dropped.concat(Array.prototype.slice.call(files));
    input.value = "";
    showFiles();
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(form);
    if (dropped.length) {
      data.delete("files");
      dropped.forEach(function (file) { data.append("files", file, file.name); });
    }
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    progress.hidden = false;
    progress.value = 0;
    button.disabled = true;
    say("Uploading…", false);
    request.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      progress.value = Math.round((e.loaded / e.total) * 100);
      say("Uploading… " + progress.value + "%", false);
    });
    request.addEventListener("load", function () {
      var reply = null;
      try { reply = JSON.parse(request.responseText); } catch (e) { reply = null; }
      button.disabled = false;
      if (request.status >= 200 && request.status < 300 && reply && reply.ok) {
        progress.value = 100;
        say(reply.message, false);
        var target = new URL(reply.redirect, window.location.href);
        if (target.pathname === window.location.pathname) {
          // Same page: a new hash alone would not reload it, and the replies must be shown.
          window.location.hash = target.hash;
          window.location.reload();
        } else {
          window.location.assign(target.href);
        }
        return;
      }
      progress.hidden = true;
      say(reply && reply.errors ? reply.errors.join(" ") : "The upload failed (" + request.status + "). Try again.", true);
    });
    request.addEventListener("error", function () {
      button.disabled = false;
      progress.hidden = true;
      say("The upload failed: the connection was lost. Try again.", true);
    });
    request.send(data);
  });
})();

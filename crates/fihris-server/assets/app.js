// fihris: the little script the pages use. Everything works without it;
// it only adds the copy-citation buttons (hidden until this script shows
// them).
"use strict";

function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text);
  }
  // Fallback for pages served over plain http on another host.
  return new Promise(function (resolve, reject) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    document.body.removeChild(area);
    if (ok) { resolve(); } else { reject(new Error("copy refused")); }
  });
}

document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
  var status = document.getElementById(button.getAttribute("aria-controls"));
  button.hidden = false;
  button.addEventListener("click", function () {
    var text = button.getAttribute("data-copy");
    copyText(text).then(function () {
      button.setAttribute("data-copied", text);
      if (status) { status.textContent = button.getAttribute("data-done"); }
    }, function () {
      if (status) { status.textContent = button.getAttribute("data-failed"); }
    });
  });
});

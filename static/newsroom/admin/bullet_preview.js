// A bullet's Preview button (briefings/admin.py BulletTextarea): the text is rendered by the
// site's own Markdown renderer and sanitiser on the server, and shown as a bullet of the page.
// Listening on the document serves the rows "Add another bullet" adds later too.
"use strict";
document.addEventListener("click", async (event) => {
  const button = event.target.closest(".bullet-preview-button");
  if (!button) {
    return;
  }
  const text = button.previousElementSibling;
  const preview = button.nextElementSibling;
  const body = new FormData();
  body.append("text", text.value);
  body.append("csrfmiddlewaretoken", text.form.elements.csrfmiddlewaretoken.value);
  const response = await fetch(button.dataset.url, { method: "POST", body, credentials: "same-origin" });
  const json = (response.headers.get("Content-Type") || "").startsWith("application/json");
  const answer = json ? await response.json() : { error: `${response.status} ${response.statusText}` };
  const bullets = document.createElement("ul");
  bullets.className = "bullets";
  const bullet = document.createElement("li");
  if (response.ok) {
    // Sanitised HTML from the server: the same the bullet's save stores for readers.
    bullet.innerHTML = answer.html;
  } else {
    bullet.textContent = answer.error;
  }
  bullets.append(bullet);
  preview.replaceChildren(bullets);
  preview.hidden = false;
});

// Suggests existing tags for the last comma-separated entry of a tag input.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("input[data-tag-autocomplete]")) {
    const list = document.getElementById(input.getAttribute("list"));
    const names = Array.from(list.options, (option) => option.value);
    input.addEventListener("input", () => {
      const cut = input.value.lastIndexOf(",");
      const done = cut >= 0 ? input.value.slice(0, cut + 1) + " " : "";
      const typed = input.value.slice(cut + 1).trim().toLowerCase();
      list.replaceChildren(
        ...names
          .filter((name) => typed && name.toLowerCase().startsWith(typed))
          .slice(0, 20)
          .map((name) => new Option(done + name))
      );
    });
  }
});

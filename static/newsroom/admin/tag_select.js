// The tag box (publishing/widgets.py): the admin's select2, suggesting existing tags from the
// address in data-ajax--url. What the editor typed is offered as a new tag only when no tag has
// that name in any case, and after the existing ones, so that Enter picks an existing tag and a
// new one is added only by choosing it.
"use strict";
{
  const $ = django.jQuery;

  function sameName(a, b) {
    return a.localeCompare(b, undefined, { sensitivity: "accent" }) === 0;
  }

  function start(select) {
    const label = select.dataset.newTagLabel;
    $(select).select2({
      tags: true,
      minimumInputLength: 1,
      width: "min(44em, 100%)",
      ajax: { dataType: "json", delay: 250, data: (params) => ({ term: params.term, page: params.page }) },
      createTag: (params) => {
        const name = params.term.trim().replace(/\s+/g, " ");
        return name ? { id: name, text: name, newTag: true } : null;
      },
      insertTag: (results, tag) => {
        if (!results.some((result) => sameName(result.text, tag.text))) {
          results.push(tag);
        }
      },
      templateResult: (item) => (item.newTag ? label.replace("%s", item.text) : item.text),
    });
  }

  $(() => {
    $("select.tag-select").each((index, select) => start(select));
  });
}

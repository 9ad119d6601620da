// Drag a need to a new place in its list. Dropping fills the need's own
// "priority" field and submits its move form, so the keyboard path (type a
// position, press Move) and the drag path run the same server code.
(function () {
  function enable(root) {
    root.querySelectorAll("ol.needs").forEach(function (list) {
      if (list.dataset.sortable || !window.Sortable) return;
      list.dataset.sortable = "on";
      window.Sortable.create(list, {
        animation: 150,
        handle: ".drag-handle",
        forceFallback: true, // mouse and touch events rather than native drag: steadier across browsers
        onEnd: function (event) {
          if (event.oldIndex === event.newIndex) return;
          var form = event.item.querySelector("form.move");
          form.querySelector("input[name=position]").value = event.newIndex + 1;
          form.requestSubmit();
        },
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enable(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enable(event.target); });
})();

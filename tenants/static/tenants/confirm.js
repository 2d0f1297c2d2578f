// Destructive actions ask first: a submit button (or its form) with data-confirm shows that
// question and sends nothing unless the user agrees. Loaded as a file: the content security
// policy allows no inline script.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);
})();

// Progressive enhancement: "Reply" moves the comment form under the comment instead of reloading the page.
(function () {
  "use strict";
  var respond = document.getElementById("respond");
  var form = document.getElementById("comment-form");
  if (!respond || !form) { return; }
  var home = document.createComment("respond-home");
  respond.parentNode.insertBefore(home, respond);
  var title = document.getElementById("respond-title");
  var cancel = document.getElementById("cancel-reply");
  var replyTo = form.elements.namedItem("reply_to");

  function place(target, parentId, author) {
    target.parentNode.insertBefore(respond, target.nextSibling);
    replyTo.value = parentId;
    title.textContent = parentId === "0" ? title.getAttribute("data-default-title") : "Reply to " + author;
    cancel.parentNode.hidden = parentId === "0";
    form.elements.namedItem("comment").focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".comment-reply-link") : null;
    if (link) {
      event.preventDefault();
      place(link.closest(".comment-body"), link.getAttribute("data-reply-to"), link.getAttribute("data-author"));
    } else if (event.target === cancel) {
      event.preventDefault();
      place(home, "0", "");
    }
  });
})();

// Progressive enhancement for the "Leave a Comment" form:
// - "Reply" moves the form under the comment instead of loading the reply page;
// - the name, email and website the reader asked to remember are filled in from their own cookie
//   (the page is the same for every reader, so the server never puts them in it).
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
  var moved = false;

  function place(target, parentId, author) {
    target.parentNode.insertBefore(respond, target.nextSibling);
    replyTo.value = parentId;
    title.textContent = parentId === "0" ? title.getAttribute("data-default-title") : "Reply to " + author;
    cancel.parentNode.hidden = parentId === "0";
    moved = parentId !== "0";
    form.elements.namedItem("comment").focus();
  }

  function rememberedAuthor() {
    var match = document.cookie.match(/(?:^|;\s*)comment_author=([^;]*)/);
    if (!match) { return null; }
    try { return JSON.parse(decodeURIComponent(match[1])); } catch (error) { return null; }
  }

  var remembered = rememberedAuthor();
  if (remembered) {
    ["name", "email", "url"].forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && !field.value && typeof remembered[name] === "string") { field.value = remembered[name]; }
    });
    var remember = form.elements.namedItem("remember");
    if (remember) { remember.checked = true; }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".comment-reply-link") : null;
    if (link) {
      event.preventDefault();
      place(link.closest(".comment-body"), link.getAttribute("data-reply-to"), link.getAttribute("data-author"));
    } else if (event.target === cancel && moved) {
      event.preventDefault();
      place(home, "0", "");
    }
  });
})();

// Progressive enhancement for the "Leave a Comment" form:
// - "Reply" moves the form under the comment instead of reloading the page;
// - a first-time reader's form comes without a CSRF token (the page is the same for all of them):
//   one is fetched when they start on the form, and at the latest when they send it.
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
  var token = form.elements.namedItem("csrfmiddlewaretoken");
  var fetching = null;

  function place(target, parentId, author) {
    target.parentNode.insertBefore(respond, target.nextSibling);
    replyTo.value = parentId;
    title.textContent = parentId === "0" ? title.getAttribute("data-default-title") : "Reply to " + author;
    cancel.parentNode.hidden = parentId === "0";
    form.elements.namedItem("comment").focus();
  }

  function ensureToken() {
    if (token.value) { return Promise.resolve(); }
    if (!fetching) {
      fetching = fetch(form.getAttribute("data-token-url"), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (data) { token.value = data.csrfmiddlewaretoken; })
        .catch(function () { fetching = null; }); // Sent without a token, the server asks to confirm: nothing is lost.
    }
    return fetching;
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

  form.addEventListener("focusin", ensureToken);
  form.addEventListener("submit", function (event) {
    if (token.value) { return; }
    event.preventDefault();
    ensureToken().then(function () { form.submit(); });
  });
})();

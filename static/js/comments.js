// Progressive enhancement for the comment section:
// - the reader's own comments awaiting moderation are shown in their places in the thread, from a private,
//   never-cached answer (/comments/held/<article>/, read from the browser's signed list of its comments), asked
//   for only when the browser's hint cookie names this article; a reply to a comment on another page of threads
//   is announced under the heading instead, with a link to that page;
// - "Reply" moves the form under the comment instead of loading the reply page;
// - the name, email and website the reader asked to remember are filled in from their own cookie
//   (the page is the same for every reader, so the server never puts them in it).
(function () {
  "use strict";
  var section = document.getElementById("comments");

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|;\\s*)" + name + "=([^;]*)"));
    return match ? match[1] : null;
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  function childList(item) {
    for (var child = item.lastElementChild; child; child = child.previousElementSibling) {
      if (child.matches("ol.children")) { return child; }
    }
    var list = document.createElement("ol");
    list.className = "children";
    item.appendChild(list);
    return list;
  }

  function topList() {
    var list = section.querySelector("ol.comment-list");
    if (!list) {
      list = document.createElement("ol");
      list.className = "comment-list";
      insertAfter(list, document.getElementById("comments-held-notice") || document.getElementById("comments-title"));
    }
    return list;
  }

  function insertAfter(node, reference) {
    reference.parentNode.insertBefore(node, reference.nextSibling);
    return node;
  }

  function showHeld(answer) {
    var shown = 0;
    var inserted = [];
    var elsewhere = [];
    (answer.comments || []).forEach(function (held) {
      if (document.getElementById("c" + held.id)) { shown += 1; return; }  // The private link drew it already.
      var parent = held.parent === null ? null : document.getElementById("c" + held.parent);
      if (held.parent !== null && !parent) {  // It answers a comment on another page of threads: say where.
        if (held.elsewhere) { elsewhere.push(held.elsewhere); }
        return;
      }
      var item = fragment(held.html).querySelector("li");
      if (!item) { return; }
      (parent ? childList(parent) : topList()).appendChild(item);
      inserted.push(item);
      shown += 1;
    });
    var title = document.getElementById("comments-title");
    var last = document.getElementById("comments-held-notice");
    if (shown && !last) {
      if (title.hasAttribute("data-held-title")) { title.textContent = title.getAttribute("data-held-title"); }
      last = insertAfter(fragment(answer.notice).firstElementChild, title);
    }
    elsewhere.forEach(function (html) { last = insertAfter(fragment(html).firstElementChild, last || title); });
    // Came by a link to one of them (a notice on another page of threads): it is there now, so go to it.
    inserted.forEach(function (item) { if (location.hash === "#" + item.id) { item.scrollIntoView(); } });
  }

  var heldUrl = section && section.getAttribute("data-held-url");
  var hint = (cookie("comments_held") || "").split(".");
  if (heldUrl && window.fetch && hint.indexOf(section.getAttribute("data-article")) !== -1) {
    fetch(heldUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) { if (answer) { showHeld(answer); } })
      .catch(function () { /* The private link still shows it. */ });
  }

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
    var value = cookie("comment_author");
    if (!value) { return null; }
    try { return JSON.parse(decodeURIComponent(value)); } catch (error) { return null; }
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

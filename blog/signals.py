from config.pagecache import invalidate_site_pages


def site_pages_changed(sender, **kwargs):
    """An article, its history, an author or the Site was saved or deleted: public pages show them.

    Comments reach the page cache through the article's stored totals (ArticleQuerySet.update), which the
    comments app recounts after every change to a thread.
    """
    invalidate_site_pages()

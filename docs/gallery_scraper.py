"""sphinx-gallery image scraper for the docs build (a module so Sphinx can pickle it)."""

from sphinx_gallery.scrapers import matplotlib_scraper


class TightScraper:
    """matplotlib figures saved with a tight bounding box (long labels are not cut)."""

    def __repr__(self):
        return "TightScraper"

    def __call__(self, *args, **kwargs):
        return matplotlib_scraper(*args, bbox_inches="tight", **kwargs)

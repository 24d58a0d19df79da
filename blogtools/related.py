"""Related posts: the published posts that share most tags with a post.

Sets ``related_posts`` on every post (drafts included, so their preview shows
the section too): at most ``RELATED_POSTS_MAX`` published posts, most shared
tags first, newest first among equals. Drafts are never suggested.
"""

from __future__ import annotations

import heapq

from pelican import signals

RELATED_POSTS_MAX = 3


def _tag_slugs(post) -> set[str]:
    return {tag.slug for tag in getattr(post, "tags", None) or []}


def related_posts(posts, candidates, limit: int = RELATED_POSTS_MAX) -> dict[int, list]:
    """``id(post)`` → its related candidates, for every post in ``posts``.

    An index from tag to the candidates carrying it means each post only meets
    the candidates it shares a tag with: linear in the number of (post, tag)
    pairs rather than quadratic in the number of posts.
    """
    by_tag: dict[str, list] = {}
    for other in candidates:
        for slug in _tag_slugs(other):
            by_tag.setdefault(slug, []).append(other)
    related = {}
    for post in posts:
        shared: dict[int, list] = {}
        for slug in _tag_slugs(post):
            for other in by_tag.get(slug, ()):
                if other is not post and other.source_path != post.source_path:
                    shared.setdefault(id(other), [0, other])[0] += 1
        ranked = heapq.nlargest(limit, shared.values(),
                                key=lambda item: (item[0], item[1].date, item[1].source_path))
        related[id(post)] = [other for _, other in ranked]
    return related


class RelatedPosts:
    def article_generator_finalized(self, generator):
        published = list(generator.articles)
        limit = generator.settings.get("RELATED_POSTS_MAX", RELATED_POSTS_MAX)
        posts = published + list(generator.drafts) + list(generator.translations)
        related = related_posts(posts, published, limit)
        for post in posts:
            post.related_posts = related[id(post)]


RELATED_POSTS = RelatedPosts()


def register():
    signals.article_generator_finalized.connect(RELATED_POSTS.article_generator_finalized)

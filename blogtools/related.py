"""Related posts: the published posts that share most tags with a post.

Sets ``related_posts`` on every post (drafts included, so their preview shows
the section too): at most ``RELATED_POSTS_MAX`` published posts, most shared
tags first, newest first among equals. Drafts are never suggested.
"""

from __future__ import annotations

from pelican import signals

RELATED_POSTS_MAX = 3


def related_to(post, candidates, limit: int = RELATED_POSTS_MAX) -> list:
    tags = {tag.slug for tag in getattr(post, "tags", None) or []}
    if not tags:
        return []
    scored = []
    for other in candidates:
        if other is post or other.url == post.url:
            continue
        shared = len(tags & {tag.slug for tag in getattr(other, "tags", None) or []})
        if shared:
            scored.append((shared, other.date, other))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [other for _, _, other in scored[:limit]]


class RelatedPosts:
    def article_generator_finalized(self, generator):
        published = list(generator.articles)
        limit = generator.settings.get("RELATED_POSTS_MAX", RELATED_POSTS_MAX)
        for post in published + list(generator.drafts) + list(generator.translations):
            post.related_posts = related_to(post, published, limit)


RELATED_POSTS = RelatedPosts()


def register():
    signals.article_generator_finalized.connect(RELATED_POSTS.article_generator_finalized)

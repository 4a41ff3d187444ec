from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "phoihop.portal"
    label = "portal"
    verbose_name = "Cổng thông tin công khai"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from phoihop.cases import hooks as cases_hooks
        from phoihop.core import audit_labels, inbox
        from phoihop.factcheck import hooks as factcheck_hooks
        from phoihop.portal import permissions
        from phoihop.portal.exemplary import draft_article
        from phoihop.portal.inbox import portal_work
        from phoihop.portal.rebuttals import publish_to_portal, rebuttal_articles
        from phoihop.portal.services import on_public_content_changed
        from phoihop.programme import hooks

        permissions.register()
        inbox.register(portal_work)
        if publish_to_portal not in factcheck_hooks.rebuttal_published:
            factcheck_hooks.rebuttal_published.append(publish_to_portal)
        if rebuttal_articles not in factcheck_hooks.rebuttals_published_elsewhere:
            factcheck_hooks.rebuttals_published_elsewhere.append(rebuttal_articles)
        if draft_article not in hooks.exemplary_approved:
            hooks.exemplary_approved.append(draft_article)
        if on_public_content_changed not in cases_hooks.public_content_changed:
            cases_hooks.public_content_changed.append(on_public_content_changed)
        audit_labels.register(
            {
                "article.create": _("Viết bài mới"),
                "article.update": _("Sửa bài viết"),
                "article.attach": _("Đính kèm tệp vào bài viết"),
                # services._move: «article.<action>»
                "article.submit": _("Gửi bài chờ duyệt"),
                "article.publish": _("Duyệt đăng bài"),
                "article.send_back": _("Trả bài để sửa"),
                "article.withdraw": _("Gỡ bài khỏi cổng thông tin"),
                "article.publish_rebuttal": _("Đăng bài phản bác lên cổng thông tin"),
            }
        )

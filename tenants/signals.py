"""Keep the host cache fresh and bind each new session to its host."""

from allauth.account.signals import user_logged_in as allauth_user_logged_in
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tenants.models import Domain, Organisation
from tenants.routing import route_cache
from tenants.services import session_bind


@receiver(post_save, sender=Organisation)
@receiver(post_delete, sender=Organisation)
@receiver(post_save, sender=Domain)
@receiver(post_delete, sender=Domain)
def _clear_route_cache(**kwargs) -> None:
    route_cache.clear()


@receiver(user_logged_in)
def _bind_session_to_host(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    organisation = getattr(request, "organisation", None)
    session_bind(
        request.session, schema_name=organisation.schema_name if organisation else "public"
    )


@receiver(allauth_user_logged_in)
def _apply_preferred_language(sender, request, user, response=None, **kwargs) -> None:
    """allauth's sign-in signal carries the response: put the user's language on this host."""
    language = getattr(user, "preferred_language", "")
    if response is not None and language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )

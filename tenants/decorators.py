"""View decorators that ask the policy module."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from tenants.policy import Permission, may


def platform_permission_required(permission: Permission):
    """Platform-site views: sign-in first, then the platform role the policy demands."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not may(request.user, permission):
                return render(request, "errors/forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def workspace_permission_required(permission: Permission):
    """Workspace views: the member's role in this organisation must grant ``permission``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not may(
                request.user,
                permission,
                organisation=request.organisation,
                membership=request.membership,
            ):
                return render(request, "errors/forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

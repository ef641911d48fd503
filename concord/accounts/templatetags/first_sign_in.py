"""Where she is on her first sign-in ("Step 2 of 3: set up your authenticator app")."""

from django import template

from concord.accounts import first_sign_in

register = template.Library()


@register.inclusion_tag("account/includes/first_sign_in_steps.html", takes_context=True)
def first_sign_in_steps(context):
    request = context.get("request")
    steps = first_sign_in.steps_for(request) if request is not None and request.user.is_authenticated else None
    current = next((step for step in steps or [] if step["current"]), None)
    return {"steps": steps, "current": current, "total": len(steps or [])}

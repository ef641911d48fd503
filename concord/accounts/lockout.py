def username_from_request(request, credentials):
    """allauth posts the e-mail as "login"; axes must count failures against that, not "username"."""
    credentials = credentials or {}
    login = credentials.get("login") or credentials.get("email") or credentials.get("username")
    if not login and request is not None and request.method == "POST":
        login = request.POST.get("login") or request.POST.get("email")
    return (login or "").strip().lower()

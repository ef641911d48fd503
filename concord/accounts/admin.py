"""Administration of staff and agencies. Administrators act for an agency like everyone else and
manage only their own area; the admin site registers no case model, so it never shows case content."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.password_validation import validate_password
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .approvals import approvals_withdraw
from .models import TOKEN_MAX_LIFETIME, Agency, Area, Membership, ServiceToken, TokenScope, User


class ConcordAdminSite(admin.AdminSite):
    site_header = _("Concord administration")
    site_title = _("Concord administration")
    index_title = _("Staff and agencies")

    def has_permission(self, request):
        actor = getattr(request, "actor", None)
        return actor is not None and actor.is_administrator

    def get_urls(self):
        return [path("access-patterns/", self.admin_view(self.access_patterns_view), name="access_patterns"),
                *super().get_urls()]

    def access_patterns_view(self, request):
        """Data-protection review: who opened many cases, many not led by their agency, or out of
        hours. Counts and names of staff only; no case content."""
        from concord.audit.selectors import access_patterns

        try:
            days = min(max(int(request.GET.get("days", 30)), 1), 366)
            min_cases = min(max(int(request.GET.get("min_cases", 20)), 1), 100000)
        except ValueError:
            days, min_cases = 30, 20
        since = timezone.now() - timedelta(days=days)
        context = {
            **self.each_context(request), "title": _("Access patterns"), "days": days, "min_cases": min_cases,
            "patterns": access_patterns(request.actor.area, since, min_cases=min_cases),
        }
        return TemplateResponse(request, "admin/access_patterns.html", context)

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "access_patterns_url": reverse("admin:access_patterns")}
        return super().index(request, extra_context)

    def login(self, request, extra_context=None):
        # One way in: allauth's login with MFA. The admin's own login form is never used.
        if request.user.is_authenticated:
            messages.error(request, _("Only administrators can open the administration pages."))
            return redirect("web:home")
        return redirect(f"/accounts/login/?next={request.get_full_path()}")


site = ConcordAdminSite(name="admin")


def log_admin_write(request, obj, *, created: bool, fields) -> None:
    """Every change an administrator makes goes in the access log, beside the record's own history:
    who may see what follows from agencies, sectors and memberships."""
    from concord.audit.models import AuditAction
    from concord.audit.services import access_log_append, client_ip

    access_log_append(actor=request.actor, action=AuditAction.CREATE if created else AuditAction.UPDATE,
                      object_type=ADMIN_OBJECT_TYPES[type(obj)], object_id=obj.pk, fields=fields,
                      ip_address=client_ip(request))


class AreaScopedAdmin(admin.ModelAdmin):
    """Permissions come from the acting membership (administrator role), scoped to its area.
    Every save is written to the access log."""

    area_path = "area"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        log_admin_write(request, obj, created=not change, fields=form.changed_data)

    def _is_admin(self, request):
        return site.has_permission(request)

    def has_module_permission(self, request):
        return self._is_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_add_permission(self, request):
        return self._is_admin(request)

    def has_change_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: history and audit must keep who did what

    def get_queryset(self, request):
        return super().get_queryset(request).filter(**{self.area_path: request.actor.area}).distinct()


@admin.register(Area, site=site)
class AreaAdmin(AreaScopedAdmin):
    area_path = "pk"
    list_display = ["name", "code", "jurisdiction", "time_zone", "holiday_calendar"]
    readonly_fields = ["code"]

    def get_queryset(self, request):
        return Area.objects.filter(pk=request.actor.area.pk)

    def has_add_permission(self, request):
        return False


@admin.register(Agency, site=site)
class AgencyAdmin(AreaScopedAdmin):
    list_display = ["name", "sector", "is_active"]
    list_filter = ["sector", "is_active"]
    search_fields = ["name"]
    exclude = ["area"]

    def get_readonly_fields(self, request, obj=None):
        # The sector decides what an agency may see (perpetrator-facing agencies never see her
        # protected information): it is fixed once the agency exists. A new agency is created instead.
        return ["sector"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if not change:
            obj.area = request.actor.area
        super().save_model(request, obj, form, change)


class MembershipInline(admin.StackedInline):
    # Stacked, not tabular: each field with its own label (a tabular inline's columns have none, which
    # screen readers and axe-core report as unlabelled fields).
    model = Membership
    fk_name = "user"
    extra = 1
    fields = ["agency", "role", "is_active", "approval"]
    readonly_fields = ["approval"]

    @admin.display(description=_("approval"))
    def approval(self, membership):
        # Shown, never edited here: a supervisor of the agency approves on their own page (decision 9).
        if membership.pk is None or not membership.needs_approval:
            return "—"
        if membership.approved_at is None:
            return _("Awaiting approval by a supervisor of the agency")
        return _("Approved %(when)s by %(who)s") % {
            "when": membership.approved_at.date(), "who": membership.approved_by or membership.approval_note}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = Agency.objects.filter(area=request.actor.area)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(agency__area=request.actor.area)

    def has_view_permission(self, request, obj=None):
        return site.has_permission(request)

    def has_change_permission(self, request, obj=None):
        # No one grants themselves a role: an administrator's own memberships are changed by another.
        return site.has_permission(request) and obj != request.user

    has_add_permission = has_change_permission

    def has_delete_permission(self, request, obj=None):
        return False


class StaffUserForm(forms.ModelForm):
    new_password = forms.CharField(
        label=_("Set a temporary password"), required=False, widget=forms.PasswordInput,
        help_text=_("At least 12 characters, not a common password. At first sign-in they choose their own, "
                    "then set up two-factor."),
    )

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "is_active", "is_service_account"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # A person does not become a system, nor a system a person: create another account.
            self.fields["is_service_account"].disabled = True

    def clean_new_password(self):
        password = self.cleaned_data.get("new_password")
        if password:
            validate_password(password, self.instance)
        return password

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_service_account") and cleaned.get("new_password"):
            self.add_error("new_password", _("A service account has no password: it never signs in."))
        return cleaned


@admin.register(User, site=site)
class StaffUserAdmin(AreaScopedAdmin):
    area_path = "memberships__agency__area"
    form = StaffUserForm
    inlines = [MembershipInline]
    list_display = ["email", "first_name", "last_name", "is_active", "last_login"]
    list_filter = ["is_active", "memberships__role"]
    search_fields = ["email", "first_name", "last_name"]

    def get_queryset(self, request):
        # Staff with no membership yet are shown too, so a newly created account can be completed.
        return (User.objects.filter(memberships__agency__area=request.actor.area)
                | User.objects.filter(memberships__isnull=True)).distinct()

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("new_password") and not obj.is_service_account:
            obj.set_password(form.cleaned_data["new_password"])
            obj.password_is_temporary = True  # known to the administrator: she chooses her own first
        elif not change:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)
        # Whoever signs in with a new e-mail or password may not be whom a supervisor approved.
        new_sign_in = change and (form.cleaned_data.get("new_password") or "email" in form.changed_data)
        if new_sign_in and approvals_withdraw(user=obj):
            messages.warning(request, _("Their casework access awaits a supervisor's approval again."))

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for membership in formset.new_objects:
            log_admin_write(request, membership, created=True, fields=["agency", "role", "is_active"])
        for membership, fields in formset.changed_objects:
            log_admin_write(request, membership, created=False, fields=fields)


class ServiceTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(label=_("scopes"), choices=TokenScope.choices,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ServiceToken
        fields = ["membership", "name", "scopes", "expires_at"]
        help_texts = {"expires_at": _("At most a year from now.")}


@admin.register(ServiceToken, site=site)
class ServiceTokenAdmin(AreaScopedAdmin):
    """Administrators ask for a token of a service account; it works only once a supervisor of the
    agency approves it (accounts.approvals). The raw value is shown once, at the request."""

    area_path = "membership__agency__area"
    list_display = ["name", "prefix", "membership", "scopes", "expires_at", "approved_at", "revoked_at"]
    form = ServiceTokenForm

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["membership", "name", "scopes", "expires_at"]
        return ["membership", "name", "scopes", "expires_at", "requested_by", "approved_by", "approved_at",
                "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Only revocation changes a token: a new scope or expiry is a new token, approved anew.
        return ["membership", "name", "scopes", "expires_at", "requested_by", "approved_by", "approved_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, change, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "membership":
            kwargs["queryset"] = Membership.objects.filter(
                agency__area=request.actor.area, user__is_service_account=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        return {**super().get_changeform_initial_data(request),
                "expires_at": timezone.now() + TOKEN_MAX_LIFETIME - timedelta(days=1)}

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        token, raw = ServiceToken.issue(membership=obj.membership, name=obj.name, scopes=form.cleaned_data["scopes"],
                                        expires_at=obj.expires_at, requested_by=request.user)
        obj.pk = token.pk
        log_admin_write(request, token, created=True, fields=["membership", "name", "scopes", "expires_at"])
        messages.warning(request, _("Copy this token now; it will not be shown again: %(token)s. It works once a "
                                    "supervisor of the agency approves it.") % {"token": raw})


ADMIN_OBJECT_TYPES = {Area: "area", Agency: "agency", User: "user", Membership: "membership",
                      ServiceToken: "service_token"}

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.forms import BuyerRegistrationForm, LoginForm, UserAccessForm
from apps.accounts.models import User, normalize_username
from apps.accounts.selectors import login_locked_until, user_list
from apps.accounts.services import (
    login_failure_record,
    login_failures_clear,
    user_register_buyer,
    user_set_role_and_regions,
)
from apps.audit.middleware import client_ip
from apps.core.access import role_required
from apps.core.formatting import wib
from apps.core.ratelimits import rate_limit_enforce
from apps.core.roles import Role


class LoginView(auth_views.LoginView):
    """Django's login with a lockout: repeated failures per username or address lock it for a cool-off."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # the same normalised name the form authenticates with: " kepala", "ＫＥＰＡＬＡ" are "kepala"
        username = normalize_username(request.POST.get("username", ""))
        until = login_locked_until(username=username, ip=client_ip(request))
        if until:
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None,
                _("Terlalu banyak percobaan gagal. Coba lagi setelah %(waktu)s.") % {"waktu": wib(until)},
            )
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(max(1, int((until - timezone.now()).total_seconds()) + 1))
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        login_failure_record(username=self.request.POST.get("username", ""), ip=client_ip(self.request))
        return super().form_invalid(form)

    def form_valid(self, form):
        login_failures_clear(username=form.get_user().get_username())
        return super().form_valid(form)


def register(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    if request.method == "POST":
        rate_limit_enforce(request, group="register", setting="RATE_LIMIT_REGISTER")
    form = BuyerRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_register_buyer(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            first_name=form.cleaned_data.get("first_name", ""),
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Akun pembeli dibuat. Selamat berbelanja!"))
        return redirect("core:home")
    return render(request, "accounts/register.html", {"form": form})


@role_required(Role.ADMIN)
def user_list_view(request):
    users = user_list(search=request.GET.get("q", ""), role=request.GET.get("role", ""))
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "roles": Role.choices})


@role_required(Role.ADMIN)
def user_access_view(request, pk):
    user = get_object_or_404(User, pk=pk)
    initial = {
        "role": user.role,
        "is_active": user.is_active,
        "regions": ", ".join(user.region_assignments.values_list("region_id", flat=True)),
    }
    form = UserAccessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user_set_role_and_regions(
            actor=request.user,
            user=user,
            role=form.cleaned_data["role"],
            region_codes=form.cleaned_data["regions"],
            is_active=form.cleaned_data["is_active"],
        )
        messages.success(request, _("Peran dan wilayah %(user)s disimpan.") % {"user": user.username})
        return redirect("accounts:user_list")
    return render(request, "accounts/user_access.html", {"form": form, "subject": user})

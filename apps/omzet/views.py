from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.access import STAFF, role_required
from apps.omzet.forms import MappingForm
from apps.omzet.selectors import access_channel, unmatched_groups
from apps.omzet.services import OmzetError, product_mapping_set
from apps.store.models import Variant


@role_required(*STAFF)
def unmatched(request):
    groups = list(unmatched_groups(user=request.user)[:500])
    for group in groups:
        group["form"] = MappingForm(initial={"channel": group["channel_id"], "match_key": group["match_key"]})
    return render(request, "omzet/unmatched.html", {"groups": groups})


@require_POST
@role_required(*STAFF)
def map_product(request):
    form = MappingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isian pemetaan tidak lengkap."))
        return redirect("omzet:unmatched")
    channel = access_channel(request.user, form.cleaned_data["channel"])
    sku = form.cleaned_data["sku"].strip()
    variant = Variant.objects.select_related("product__seller").filter(sku=sku).first()
    if variant is None:
        messages.error(request, _("SKU %(sku)s tidak ada di katalog.") % {"sku": sku})
        return redirect("omzet:unmatched")
    try:
        moved = product_mapping_set(
            channel=channel, match_key=form.cleaned_data["match_key"], variant=variant, actor=request.user
        )
    except OmzetError as exc:
        messages.error(request, str(exc))
        return redirect("omzet:unmatched")
    messages.success(
        request,
        _("%(n)s baris dipetakan ke %(product)s (%(shop)s).")
        % {"n": moved, "product": variant, "shop": variant.product.seller},
    )
    return redirect("omzet:unmatched")

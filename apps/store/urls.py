from django.urls import path

from apps.store.views import storefront

app_name = "store"
urlpatterns = [
    path("", storefront.catalogue, name="catalogue"),
    path("kategori/", storefront.categories, name="categories"),
    path("kategori/<slug:slug>/", storefront.category, name="category"),
    path("produk-desa/", storefront.produk_desa, name="produk_desa"),
    path("produk-desa/<str:code>/", storefront.kecamatan, name="kecamatan"),
    path("penjual/<slug:slug>/", storefront.seller, name="seller"),
    path("produk/<int:pk>/", storefront.product, name="product_short"),
    path("produk/<int:pk>/<slug:slug>/", storefront.product, name="product"),
]

from apps.store.views import curation, manage  # noqa: E402

urlpatterns += [
    path("kelola/", manage.manage_home, name="manage_home"),
    path("kelola/daftar/", manage.seller_apply, name="seller_apply"),
    path("kelola/toko/<int:pk>/", manage.manage_shop, name="manage_shop"),
    path("kelola/toko/<int:pk>/produk-baru/", manage.product_new, name="product_new"),
    path("kelola/produk/<int:pk>/", manage.product_edit, name="product_edit"),
    path("kelola/produk/<int:pk>/foto/", manage.photo_add, name="photo_add"),
    path("kelola/foto/<int:pk>/hapus/", manage.photo_delete, name="photo_delete"),
    path("kelola/produk/<int:pk>/ajukan/", manage.product_submit, name="product_submit"),
    path("kelola/produk/<int:pk>/turunkan/", manage.product_delist, name="product_delist_own"),
    path("kelola/toko/<int:pk>/ekspor/<str:fmt>/", manage.export, name="export"),
    path("kurasi/", curation.queue, name="curation_queue"),
    path("kurasi/produk/<int:pk>/", curation.product_review, name="curation_product"),
    path("kurasi/harga/<int:pk>/periksa/", curation.price_flag_check, name="price_flag_check"),
    path("kurasi/penjual/", curation.sellers, name="curation_sellers"),
    path("kurasi/penjual/daftarkan/", curation.seller_enrol, name="seller_enrol"),
    path("kurasi/penjual/<int:pk>/", curation.seller_action, name="seller_action"),
]

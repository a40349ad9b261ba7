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

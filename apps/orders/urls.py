from django.urls import path

from apps.orders import views

app_name = "orders"
urlpatterns = [
    path("keranjang/", views.cart_view, name="cart"),
    path("keranjang/tambah/", views.cart_add_view, name="cart_add"),
    path("keranjang/ubah/", views.cart_update_view, name="cart_update"),
    path("checkout/", views.checkout_address, name="checkout_address"),
    path("checkout/pengiriman/", views.checkout_shipping, name="checkout_shipping"),
    path("bayar/<str:token>/", views.payment_view, name="payment"),
    path("konfirmasi/<str:token>/", views.confirm_contact, name="confirm_contact"),
    path("gateway/notifikasi/", views.gateway_notification, name="gateway_notification"),
    path("gateway/sandbox/<str:token>/", views.gateway_sandbox, name="gateway_sandbox"),
    path("saya/", views.buyer_orders, name="buyer_orders"),
    path("saya/<str:number>/", views.buyer_order_detail, name="buyer_order"),
    path("beranda-toko/", views.seller_home, name="seller_home"),
    path("toko/", views.seller_orders, name="seller_orders"),
    path("toko/<str:number>/", views.seller_order_detail, name="seller_order"),
    path("operator/", views.operator_orders, name="operator_orders"),
    path("operator/transfer/", views.transfer_queue, name="transfer_queue"),
    path("operator/transfer/<str:code>/", views.transfer_review, name="transfer_review"),
    path("operator/transfer/<str:code>/bukti/", views.transfer_proof, name="transfer_proof"),
    path("operator/<str:number>/", views.operator_order_detail, name="operator_order"),
]

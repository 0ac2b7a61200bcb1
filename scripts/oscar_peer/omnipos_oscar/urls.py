from django.urls import path

from omnipos_oscar import views

urlpatterns = [
    path("orders/", views.orders_since, name="omnipos-orders"),
    path("orders/<int:pk>/status/", views.order_status, name="omnipos-order-status"),
]

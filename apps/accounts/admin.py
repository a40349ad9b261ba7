from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from apps.accounts.models import LoginFailure, RegionAssignment, User


class RegionAssignmentInline(admin.TabularInline):
    model = RegionAssignment
    raw_id_fields = ["region"]
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "email", "role", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = [*(BaseUserAdmin.fieldsets or ()), ("Tuka-Tuku", {"fields": ["role", "phone"]})]
    inlines = [RegionAssignmentInline]


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ["created_at", "username", "ip"]

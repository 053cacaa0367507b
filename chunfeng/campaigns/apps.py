from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "chunfeng.campaigns"
    verbose_name = "活动"

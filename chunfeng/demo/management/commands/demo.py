from django.core.management.base import BaseCommand, CommandError

from chunfeng.demo.services import demo_credentials, demo_load, demo_needed


class Command(BaseCommand):
    help = "向空数据库载入演示数据"

    def handle(self, *args, **opts):
        if not demo_needed():
            raise CommandError("数据库中已有单位数据，未载入演示数据")
        demo_load()
        for username, password, unit, role in demo_credentials():
            self.stdout.write(f"{username}\t{password}\t{unit}\t{role}")

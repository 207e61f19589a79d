"""Places the core gazetteer gained (villages of Askeran, Martakert, Martuni and Shushi districts,
Krkzhan, Berkadzor) for databases that loaded it before: a database with no places yet gets them all
when the gazetteer is first loaded, as before."""

from django.db import migrations


def add_places(apps, schema_editor):
    from rollcall.registry.actions import add_gazetteer_places

    place, name = apps.get_model("registry", "Place"), apps.get_model("registry", "PlaceName")
    if place.objects.exists():
        add_gazetteer_places(place, name)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_record_dataset_row_index"),
    ]

    operations = [
        migrations.RunPython(add_places, migrations.RunPython.noop),
    ]

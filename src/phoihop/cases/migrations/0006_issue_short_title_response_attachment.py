from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_issue_merged_into"),
    ]

    operations = [
        migrations.AddField(
            model_name="issue",
            name="short_title",
            field=models.CharField(blank=True, max_length=120, verbose_name="tên ngắn"),
        ),
        migrations.AddField(
            model_name="response",
            name="attachment",
            field=models.FileField(
                blank=True, upload_to="cases/responses/%Y/%m/", verbose_name="tệp đính kèm"
            ),
        ),
        migrations.AddField(
            model_name="response",
            name="attachment_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="tên tệp đính kèm"),
        ),
    ]

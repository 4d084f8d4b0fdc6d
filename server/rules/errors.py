"""The one error the rules raise: a code and a message in Chinese and English."""


class RuleError(ValueError):
    """Input that breaks a rule; `field` names the form field to show it beside."""

    def __init__(self, code, zh, en, field=None):
        super().__init__(f"{zh} / {en}")
        self.code, self.zh, self.en, self.field = code, zh, en, field


class FormErrors(RuleError):
    """Every broken rule of one form at once; reads as its first error where one is expected."""

    def __init__(self, errors):
        first = errors[0]
        super().__init__(first.code, first.zh, first.en, first.field)
        self.errors = list(errors)


def gather(checks):
    """Run (key, check) pairs; the values by key, or FormErrors naming every failed field."""
    values, errors = {}, []
    for key, check in checks:
        try:
            values[key] = check()
        except FormErrors as err:
            errors.extend(err.errors)
        except RuleError as err:
            errors.append(err)
    if errors:
        raise FormErrors(errors)
    return values

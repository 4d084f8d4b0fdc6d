"""The one error the rules raise: a code and a message in Chinese and English."""


class RuleError(ValueError):
    """Input that breaks a rule; `field` names the form field to show it beside."""

    def __init__(self, code, zh, en, field=None):
        super().__init__(f"{zh} / {en}")
        self.code, self.zh, self.en, self.field = code, zh, en, field

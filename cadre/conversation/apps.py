from django.apps import AppConfig


class ConversationConfig(AppConfig):
    name = "cadre.conversation"
    label = "conversation"
    verbose_name = "Conversation: comments, reactions and notifications"

    def ready(self) -> None:
        from cadre.accountability.contributions import on_board
        from cadre.conversation.feed import add_board_feed

        on_board(add_board_feed)

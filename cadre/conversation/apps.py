from django.apps import AppConfig


class ConversationConfig(AppConfig):
    name = "cadre.conversation"
    label = "conversation"
    verbose_name = "Conversation: comments, reactions and notifications"

    def ready(self) -> None:
        from cadre.accountability.contributions import on_board
        from cadre.conversation.feed import add_board_feed
        from cadre.conversation.item_pages import add_conversation_link
        from cadre.networks.contributions import on_item_page

        on_board(add_board_feed)
        on_item_page(add_conversation_link)

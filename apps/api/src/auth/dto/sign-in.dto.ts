import { IsString, MaxLength, MinLength } from 'class-validator';

/** `POST /v1/session`: sign in to the dashboard with an API key. */
export class SignInDto {
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  apiKey!: string;
}
